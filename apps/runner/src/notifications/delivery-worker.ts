// The delivery worker (runs inside `drover runner`; several may share a database): woken by the
// outbox's NOTIFY, with a polling fallback for retries that come due. Each send has a timeout;
// at most `perReceiver` sends are in flight per receiver and `concurrency` in all, so a slow or
// dead receiver holds its own slots only and never delays the others or the pipeline.
import { DEFAULT_RETRY_POLICY, nextAttemptAt, type RetryPolicy } from "@drover/core/notifications/retry";
import type { Db } from "@drover/db";
import { CHANNELS, listen } from "@drover/db/notify";
import { type AttemptResult, claimDeliveries, recordAttempt, type ClaimedDelivery } from "@drover/db/notifications/delivery-queue";
import { subscriptionSecret } from "@drover/db/notifications/subscriptions";
import { readSecretKey } from "@drover/db/secrets/key";
import type { Logger } from "pino";
import { requestFor } from "./requests.ts";
import { sendRequest } from "./send.ts";

export interface DeliveryWorkerOptions {
  databaseUrl: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  concurrency?: number;
  perReceiver?: number;
  pollMs?: number;
  retry?: RetryPolicy;
}

export interface DeliveryWorker {
  /** Claims and sends what is due now (also run by the wake-ups). */
  kick(): void;
  /** Waits for the sends in flight (bounded by their timeout), then stops. */
  stop(): Promise<void>;
}

export function startDeliveryWorker(db: Db, log: Logger, o: DeliveryWorkerOptions): DeliveryWorker {
  const env = o.env ?? process.env;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const concurrency = o.concurrency ?? 16;
  const perReceiver = o.perReceiver ?? 2;
  const retry = o.retry ?? DEFAULT_RETRY_POLICY;
  // A lease outlives any one send (timeout plus writing its result), so a live worker keeps its rows.
  const leaseMs = timeoutMs * 2 + 5_000;
  const inFlight = new Map<string, number>();
  const sends = new Set<Promise<void>>();
  let stopped = false;
  let claiming = false;
  let again = false;

  const busy = () => [...inFlight].filter(([, n]) => n >= perReceiver).map(([id]) => id);

  async function deliver(d: ClaimedDelivery): Promise<void> {
    let result: AttemptResult;
    let secret: string | null = null;
    try {
      const key = d.subscription.secret ? readSecretKey({ env }) : undefined;
      if (d.subscription.secret && !key)
        throw new Error("this runner has no secret key (DROVER_SECRET_KEY or the data folder's secret.key) to read the receiver's secret");
      secret = key ? subscriptionSecret(key, d.subscription) : null;
      const req = requestFor(d, secret, env.DROVER_PUBLIC_URL || undefined, Math.floor(Date.now() / 1000));
      result = await sendRequest(req, timeoutMs, secret);
    } catch (err) {
      result = { ok: false, statusCode: null, latencyMs: 0, responseExcerpt: (err as Error).message };
    }
    const retryAt = result.ok ? null : nextAttemptAt(retry, d.attempt, d.retryFrom, new Date());
    const kept = await recordAttempt(db, d, result, retryAt);
    const fields = { deliveryId: String(d.id), subscription: d.subscription.id, attempt: d.attempt, status: result.statusCode, ms: result.latencyMs };
    if (!kept) log.warn(fields, "notification delivery lease lost meanwhile; another worker owns it");
    else if (result.ok) log.debug(fields, "notification delivered");
    else log.info({ ...fields, retryAt }, retryAt ? "notification delivery failed; will retry" : "notification delivery failed; giving up");
  }

  async function claimRound(): Promise<void> {
    while (!stopped) {
      const free = concurrency - sends.size;
      if (free <= 0) return;
      const claimed = await claimDeliveries(db, { limit: Math.min(free, perReceiver * 4), leaseMs, busy: busy() });
      if (!claimed.length) return;
      let started = 0;
      for (const d of claimed) {
        const id = d.subscription.id;
        // Over this receiver's bound (several of its rows came in one claim): back to the queue at once.
        if ((inFlight.get(id) ?? 0) >= perReceiver) {
          await db.notificationDelivery.updateMany({
            where: { id: d.id, leaseOwner: d.owner },
            data: { leaseOwner: null, leaseUntil: null, attempts: { decrement: 1 } },
          });
          continue;
        }
        inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
        started++;
        const p = deliver(d)
          .catch((err) =>
            log.warn({ err: (err as Error).message, deliveryId: String(d.id) }, "notification delivery could not be recorded; its lease will expire"),
          )
          .finally(() => {
            const n = (inFlight.get(id) ?? 1) - 1;
            if (n) inFlight.set(id, n);
            else inFlight.delete(id);
            sends.delete(p);
            kick();
          });
        sends.add(p);
      }
      if (!started) return;
    }
  }

  function kick(): void {
    if (stopped) return;
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    void (async () => {
      do {
        again = false;
        await claimRound().catch((err) => log.warn({ err: (err as Error).message }, "notification claim failed"));
      } while (again && !stopped);
      claiming = false;
    })();
  }

  const listener = listen(o.databaseUrl, [CHANNELS.notifications], () => kick(), { onReconnect: kick, onError: () => {} });
  const timer = setInterval(kick, o.pollMs ?? 2_000);
  kick();
  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await listener.close();
      await Promise.allSettled([...sends]);
    },
  };
}
