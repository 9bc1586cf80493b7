// Live updates over server-sent events: each subscription yields small "something changed"
// hints from Postgres NOTIFY; the page then re-reads what it shows.
import { z } from "zod";
import { idSchema } from "@drover/db/services/validate";
import { browserNotificationFor } from "@drover/db/notifications/subscriptions";
import { headline, type StoredNotification } from "@drover/core/notifications/body";
import { projectRefusal } from "@drover/auth/project-access";
import { getHub } from "../live/hub.ts";
import { untilSignedOut } from "../live/until-signed-out.ts";
import { procedure, router } from "../trpc.ts";

const id = idSchema;

export const liveRouter = router({
  /** Board, session and agent changes of one project (or of all projects when projectId is absent). */
  project: procedure
    .meta({ role: "viewer" })
    .input(z.object({ projectId: id.optional() }))
    .subscription(async function* ({ ctx, input, signal }) {
      yield { ready: true };
      for await (const p of getHub().stream(
        "any",
        untilSignedOut(ctx, signal),
        (p) =>
          p.channel !== "sessionEvents" &&
          p.channel !== "notifications" &&
          p.channel !== "runnerRequests" &&
          (!input.projectId || p.projectId === undefined || Number(p.projectId) === input.projectId),
      )) {
        yield { channel: String(p.channel ?? ""), storyId: p.storyId === undefined ? null : Number(p.storyId) };
      }
    }),

  /** Announcements the caller's browser subscriptions ask for, in projects they may see: shown as desktop notifications. */
  notifications: procedure
    .meta({ role: "viewer" })
    .input(z.object({}).optional())
    .subscription(async function* ({ ctx, signal }) {
      yield { ready: true as const };
      for await (const p of getHub().stream("notifications", untilSignedOut(ctx, signal))) {
        if (p.reconnected || typeof p.notificationId !== "string") continue;
        const n = await browserNotificationFor(ctx.db, ctx.user.id, BigInt(p.notificationId));
        if (!n || (await projectRefusal(ctx.db, ctx.user, n.projectId))) continue;
        const s = n.payload as unknown as StoredNotification;
        yield { id: n.id.toString(), event: s.event, title: headline(s), body: s.reason, path: s.story?.path ?? `/projects/${n.projectId}` };
      }
    }),

  /** New events of one session: yields the last written seq. */
  sessionEvents: procedure
    .meta({ role: "viewer" })
    .input(z.object({ sessionId: id }))
    .subscription(async function* ({ ctx, input, signal }) {
      yield { ready: true, lastSeq: null as number | null };
      for await (const p of getHub().stream("sessionEvents", untilSignedOut(ctx, signal), (p) => Number(p.sessionId) === input.sessionId)) {
        yield { ready: true, lastSeq: p.lastSeq === undefined ? null : Number(p.lastSeq) };
      }
    }),
});
