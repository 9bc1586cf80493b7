// Notification subscriptions: where announcements go, for which events and projects. A webhook's
// signing secret is made here and returned once; Slack and Discord webhook URLs and Matrix access
// tokens are secrets too. All are stored encrypted (secrets/cipher.ts) and never returned.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { NOTIFICATION_EVENTS } from "@drover/core/notifications/events";
import { notFound } from "@drover/core/errors";
import type { DbOrTx } from "../services/tx.ts";
import { idSchema, parseInput, textSchema } from "../services/validate.ts";
import { decryptSecret, encryptSecret } from "../secrets/cipher.ts";
import type { SecretKey } from "../secrets/key.ts";

const httpUrl = (what: string) =>
  textSchema.max(2000).refine(
    (s) => {
      try {
        return ["http:", "https:"].includes(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    { error: `${what} must be an http:// or https:// URL` },
  );

const common = {
  name: textSchema.trim().min(1, { error: "Name must not be empty" }).max(100),
  events: z
    .array(z.enum(NOTIFICATION_EVENTS, { error: `events: each must be one of ${NOTIFICATION_EVENTS.join(", ")}` }))
    .min(1, { error: "Choose at least one event" }),
  /** Empty: every project. */
  projectIds: z.array(idSchema).max(1000).default([]),
};

export const subscriptionInput = z.discriminatedUnion("channel", [
  z.object({ channel: z.literal("webhook"), url: httpUrl("The webhook URL"), ...common }),
  z.object({ channel: z.literal("slack"), webhookUrl: httpUrl("The Slack webhook URL"), ...common }),
  z.object({ channel: z.literal("discord"), webhookUrl: httpUrl("The Discord webhook URL"), ...common }),
  z.object({
    channel: z.literal("matrix"),
    homeserver: httpUrl("The Matrix homeserver"),
    room: textSchema.trim().regex(/^[!#][^:\s]+:\S+$/, { error: "The Matrix room must be a room id (!abc:server) or alias (#room:server)" }),
    accessToken: textSchema.trim().min(1, { error: "The Matrix access token must not be empty" }).max(4096),
    ...common,
  }),
  z.object({ channel: z.literal("browser"), ...common }),
]);
export type SubscriptionInput = z.input<typeof subscriptionInput>;

/** What may be shown of a subscription: never its secret. */
const SUBSCRIPTION_INFO = {
  id: true,
  name: true,
  channel: true,
  url: true,
  matrixRoom: true,
  events: true,
  projectIds: true,
  userId: true,
  createdAt: true,
} as const;

const secretName = (id: string) => `notification:${id}`;

/**
 * Creates a subscription; browser ones belong to `userId`. Returns what may be shown and, for a
 * webhook, its signing secret: the only time it is ever returned.
 */
export async function createSubscription(db: DbOrTx, key: SecretKey | null, input: SubscriptionInput, userId: string) {
  const i = parseInput(subscriptionInput, input);
  const id = `ns_${randomBytes(12).toString("hex")}`;
  const signingSecret = i.channel === "webhook" ? `whsec_${randomBytes(32).toString("base64url")}` : null;
  const secret = signingSecret ?? (i.channel === "slack" || i.channel === "discord" ? i.webhookUrl : i.channel === "matrix" ? i.accessToken : null);
  if (secret !== null && !key) throw new Error("No secret key to store the notification secret with");
  const row = await db.notificationSubscription.create({
    data: {
      id,
      name: i.name,
      channel: i.channel,
      url: i.channel === "webhook" ? i.url : i.channel === "matrix" ? i.homeserver : null,
      matrixRoom: i.channel === "matrix" ? i.room : null,
      ...(secret !== null && key ? { secret: encryptSecret(key, 0, secretName(id), secret), secretKeyId: key.id } : {}),
      events: [...new Set(i.events)],
      projectIds: [...new Set(i.projectIds)],
      userId: i.channel === "browser" ? userId : null,
    },
    select: SUBSCRIPTION_INFO,
  });
  return { subscription: row, signingSecret };
}

/** Webhook and chat subscriptions (everyone's), or one person's browser subscriptions. */
export function listSubscriptions(db: DbOrTx, filter: { browserOf?: string } = {}) {
  return db.notificationSubscription.findMany({
    where: filter.browserOf ? { channel: "browser", userId: filter.browserOf } : { channel: { not: "browser" } },
    orderBy: { createdAt: "asc" },
    select: SUBSCRIPTION_INFO,
  });
}

/** Deletes one; `browserOf` limits it to that person's browser subscriptions. */
export async function deleteSubscription(db: DbOrTx, id: string, filter: { browserOf?: string } = {}): Promise<void> {
  const where = filter.browserOf ? { id, channel: "browser" as const, userId: filter.browserOf } : { id, channel: { not: "browser" as const } };
  const { count } = await db.notificationSubscription.deleteMany({ where });
  if (!count) throw notFound(`No notification subscription ${id}`);
}

/** The decrypted secret (delivery workers only). */
export function subscriptionSecret(key: SecretKey, row: { id: string; secret: string | null; secretKeyId: string | null }): string {
  if (!row.secret || !row.secretKeyId) throw new Error(`Notification subscription ${row.id} has no stored secret; create it again`);
  return decryptSecret(key, { projectId: 0, name: secretName(row.id), encrypted: row.secret, keyId: row.secretKeyId });
}

export const subscriptionIdSchema = textSchema.regex(/^ns_[0-9a-f]{24}$/, { error: "Not a notification subscription id" });

/** The notification, when one of `userId`'s browser subscriptions asks for it (else null). */
export async function browserNotificationFor(db: DbOrTx, userId: string, notificationId: bigint) {
  const n = await db.notification.findUnique({ where: { id: notificationId } });
  if (!n) return null;
  const wanted = await db.notificationSubscription.count({
    where: {
      channel: "browser",
      userId,
      events: { has: n.event },
      OR: [{ projectIds: { isEmpty: true } }, { projectIds: { has: n.projectId } }],
    },
  });
  return wanted ? n : null;
}
