// When a failed delivery is tried again: exponential backoff with "equal jitter" (half fixed, half
// random, so receivers coming back are not hit by every sender at once), until the retry period
// since the retry window opened is spent; then the delivery is marked failed.
import { backoffMs } from "../automation/rate-limit.ts";

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** How long after its retry window opened (creation, or a redeliver) a delivery is still retried. */
  retryForMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 5_000, maxMs: 30 * 60_000, retryForMs: 24 * 3600_000 };

/** The next attempt's time after `attempts` failed ones, or null when the period is spent. */
export function nextAttemptAt(policy: RetryPolicy, attempts: number, windowStart: Date, now: Date, random = Math.random): Date | null {
  const full = backoffMs(attempts - 1, policy.baseMs, policy.maxMs);
  const at = now.getTime() + full / 2 + random() * (full / 2);
  return at - windowStart.getTime() > policy.retryForMs ? null : new Date(at);
}
