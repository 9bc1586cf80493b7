// Failed sign-ins, counted per account and per address in the database (shared by every web process).
// Too many in a window locks that key for a while; the refusal says for how long.
import type { Db } from "@drover/db";

export const THROTTLE = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  /** Failures of one account before it is locked. */
  perAccount: 5,
  /** Failures from one address (any accounts) before it is locked. */
  perAddress: 20,
};

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (ip: string) => `address:${ip}`;

export interface Lock {
  key: string;
  until: Date;
}

/** The first lock in force among `keys`, if any. */
export async function activeLock(db: Db, keys: string[], now = new Date()): Promise<Lock | null> {
  const rows = await db.signInThrottle.findMany({ where: { key: { in: keys }, lockedUntil: { gt: now } } });
  const row = rows.sort((a, b) => b.lockedUntil!.getTime() - a.lockedUntil!.getTime())[0];
  return row ? { key: row.key, until: row.lockedUntil! } : null;
}

/** Counts one failure against `key`; locks it once it reaches `limit` within the window. */
export async function recordFailure(db: Db, key: string, limit: number, now = new Date()): Promise<void> {
  const windowStart = new Date(now.getTime() - THROTTLE.windowMs);
  const lockUntil = new Date(now.getTime() + THROTTLE.lockMs);
  // One statement, so concurrent failures all count: a stale window restarts at 1.
  await db.$executeRaw`
    INSERT INTO sign_in_throttles (key, failures, window_starts_at) VALUES (${key}, 1, ${now})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN sign_in_throttles.window_starts_at < ${windowStart} THEN 1 ELSE sign_in_throttles.failures + 1 END,
      window_starts_at = CASE WHEN sign_in_throttles.window_starts_at < ${windowStart} THEN ${now} ELSE sign_in_throttles.window_starts_at END`;
  await db.signInThrottle.updateMany({ where: { key, failures: { gte: limit } }, data: { lockedUntil: lockUntil, failures: 0, windowStartsAt: now } });
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key } });
}

/** "locked for 15 minutes (until 20:31 UTC)". */
export function describeLock(lock: Lock, now = new Date()): string {
  const minutes = Math.max(1, Math.ceil((lock.until.getTime() - now.getTime()) / 60_000));
  const what = lock.key.startsWith("account:") ? "this account" : "sign-ins from your address";
  return `Too many failed sign-ins: ${what} is locked for ${minutes} minute${minutes === 1 ? "" : "s"} (until ${lock.until.toISOString().slice(11, 16)} UTC).`;
}
