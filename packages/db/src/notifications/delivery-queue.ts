// The outbox as a work queue. Workers claim due deliveries with FOR UPDATE SKIP LOCKED and a lease
// (a worker that dies mid-send loses nothing: its lease runs out and another claims the row), and
// record each attempt only while they still hold the lease, so one send is recorded once.
import { randomUUID } from "node:crypto";
import type { StoredNotification } from "@drover/core/notifications/body";
import { notFound } from "@drover/core/errors";
import type { Db } from "../client.ts";
import { inTx } from "../services/tx.ts";

export interface ClaimedDelivery {
  id: bigint;
  /** This claim's lease token: the attempt is recorded only while it still holds. */
  owner: string;
  attempt: number;
  redeliveries: number;
  /** Start of the retry window (creation, or the latest redeliver). */
  retryFrom: Date;
  notificationId: bigint;
  notification: StoredNotification;
  subscription: { id: string; channel: string; url: string | null; matrixRoom: string | null; secret: string | null; secretKeyId: string | null };
}

/** Claims up to `limit` due deliveries, leaving out receivers this worker is busy with. */
export async function claimDeliveries(db: Db, opts: { limit: number; leaseMs: number; busy?: readonly string[] }): Promise<ClaimedDelivery[]> {
  if (opts.limit <= 0) return [];
  const owner = randomUUID();
  const rows = await db.$queryRaw<
    { id: bigint; attempts: number; redeliveries: number; retry_from: Date; notification_id: bigint; payload: StoredNotification; subscription_id: string }[]
  >`
    UPDATE notification_deliveries d
    SET lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${opts.leaseMs / 1000}::double precision), attempts = d.attempts + 1
    FROM notifications n
    WHERE n.id = d.notification_id AND d.id IN (
      SELECT id FROM notification_deliveries
      WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
        AND NOT (subscription_id = ANY(${[...(opts.busy ?? [])]}::text[]))
      ORDER BY next_attempt_at, id
      LIMIT ${opts.limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING d.id, d.attempts, d.redeliveries, d.retry_from, d.notification_id, n.payload, d.subscription_id`;
  if (!rows.length) return [];
  const subs = await db.notificationSubscription.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.subscription_id))] } },
    select: { id: true, channel: true, url: true, matrixRoom: true, secret: true, secretKeyId: true },
  });
  const byId = new Map(subs.map((s) => [s.id, s]));
  return rows
    .filter((r) => byId.has(r.subscription_id)) // deleted meanwhile: its rows went with it
    .map((r) => ({
      id: r.id,
      owner,
      attempt: r.attempts,
      redeliveries: r.redeliveries,
      retryFrom: r.retry_from,
      notificationId: r.notification_id,
      notification: r.payload,
      subscription: byId.get(r.subscription_id)!,
    }));
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
}

/**
 * Logs an attempt and settles the delivery: delivered, due again at `retryAt`, or failed (null).
 * Returns false when the lease was lost (another worker owns the row now): nothing is written.
 */
export async function recordAttempt(db: Db, d: Pick<ClaimedDelivery, "id" | "owner" | "attempt">, r: AttemptResult, retryAt: Date | null): Promise<boolean> {
  return inTx(db, async (tx) => {
    const settled = await tx.notificationDelivery.updateMany({
      where: { id: d.id, leaseOwner: d.owner, status: "pending" },
      data: r.ok
        ? { status: "delivered", deliveredAt: new Date(), leaseOwner: null, leaseUntil: null, lastError: null }
        : {
            status: retryAt ? "pending" : "failed",
            nextAttemptAt: retryAt ?? undefined,
            leaseOwner: null,
            leaseUntil: null,
            lastError: r.statusCode ? `HTTP ${r.statusCode}` : (r.responseExcerpt ?? "no answer"),
          },
    });
    if (!settled.count) return false;
    await tx.notificationAttempt.create({
      data: { deliveryId: d.id, attempt: d.attempt, ok: r.ok, statusCode: r.statusCode, latencyMs: r.latencyMs, responseExcerpt: r.responseExcerpt },
    });
    return true;
  });
}

/** One receiver's deliveries, newest first, each with its attempts. */
export function listDeliveries(db: Db, subscriptionId: string, limit = 50) {
  return db.notificationDelivery.findMany({
    where: { subscriptionId },
    orderBy: { id: "desc" },
    take: limit,
    select: {
      id: true,
      status: true,
      attempts: true,
      redeliveries: true,
      nextAttemptAt: true,
      deliveredAt: true,
      createdAt: true,
      lastError: true,
      notification: { select: { event: true, createdAt: true } },
      attemptLog: { orderBy: { id: "asc" }, select: { attempt: true, at: true, ok: true, statusCode: true, latencyMs: true, responseExcerpt: true } },
    },
  });
}

/** Sends a delivery again, now, under a new idempotency key (a person asked for it), with a fresh retry window. */
export async function redeliver(db: Db, deliveryId: bigint): Promise<void> {
  const now = new Date();
  const { count } = await db.notificationDelivery.updateMany({
    where: { id: deliveryId, OR: [{ status: { not: "pending" } }, { leaseOwner: null }] },
    data: { status: "pending", nextAttemptAt: now, retryFrom: now, leaseOwner: null, leaseUntil: null, deliveredAt: null, redeliveries: { increment: 1 } },
  });
  if (!count) throw notFound(`No delivery ${deliveryId} to redeliver (it may be being sent right now)`);
}
