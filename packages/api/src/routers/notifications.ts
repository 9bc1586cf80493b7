// Notification subscriptions. Webhooks and chat rooms are an admin's (their secrets go in, never
// come back; a webhook's signing secret is returned once, when it is made); browser notifications
// are each person's own.
import { z } from "zod";
import { ensureSecretKey } from "@drover/db/secrets/index";
import { textSchema } from "@drover/db/services/validate";
import { listDeliveries, redeliver } from "@drover/db/notifications/delivery-queue";
import { createSubscription, deleteSubscription, listSubscriptions, subscriptionIdSchema } from "@drover/db/notifications/subscriptions";
import { procedure, router } from "../trpc.ts";

const byId = z.object({ id: subscriptionIdSchema });
const common = { name: textSchema, events: z.array(textSchema), projectIds: z.array(z.number()).optional() };
// The service validates each field and says what to fix; here only the shape per channel.
const createInput = z.discriminatedUnion("channel", [
  z.object({ channel: z.literal("webhook"), url: textSchema, ...common }),
  z.object({ channel: z.literal("slack"), webhookUrl: textSchema, ...common }),
  z.object({ channel: z.literal("discord"), webhookUrl: textSchema, ...common }),
  z.object({ channel: z.literal("matrix"), homeserver: textSchema, room: textSchema, accessToken: textSchema, ...common }),
]);

export const notificationsRouter = router({
  list: procedure
    .meta({ role: "admin" })
    .input(z.object({}).optional())
    .query(({ ctx }) => listSubscriptions(ctx.db)),
  create: procedure
    .meta({ role: "admin" })
    .input(createInput)
    .mutation(({ ctx, input }) => createSubscription(ctx.db, ensureSecretKey(), input as never, ctx.user.id)),
  remove: procedure
    .meta({ role: "admin" })
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      await deleteSubscription(ctx.db, input.id);
      return { removed: input.id };
    }),
  /** One receiver's delivery log: time, event, status code, latency, response excerpt, attempt. */
  deliveries: procedure
    .meta({ role: "admin" })
    .input(byId)
    .query(({ ctx, input }) => listDeliveries(ctx.db, input.id)),
  redeliver: procedure
    .meta({ role: "admin" })
    .input(z.object({ deliveryId: textSchema.regex(/^\d{1,18}$/, { error: "deliveryId must be a delivery's number" }) }))
    .mutation(async ({ ctx, input }) => {
      await redeliver(ctx.db, BigInt(input.deliveryId));
      return { redelivering: input.deliveryId };
    }),

  /** The caller's own browser notifications. */
  mine: procedure
    .meta({ role: "viewer" })
    .input(z.object({}).optional())
    .query(({ ctx }) => listSubscriptions(ctx.db, { browserOf: ctx.user.id })),
  subscribeBrowser: procedure
    .meta({ role: "viewer" })
    .input(z.object({ events: z.array(textSchema), projectIds: z.array(z.number()).optional() }))
    .mutation(({ ctx, input }) => createSubscription(ctx.db, null, { channel: "browser", name: "This browser", ...input } as never, ctx.user.id)),
  unsubscribeBrowser: procedure
    .meta({ role: "viewer" })
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      await deleteSubscription(ctx.db, input.id, { browserOf: ctx.user.id });
      return { removed: input.id };
    }),
});
