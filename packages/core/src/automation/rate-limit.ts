// When to restart after a rate limit: at the runtime's reset time when it gave one (plus a small
// margin so we do not hit the limit a second early), else exponential backoff.
const RATE_LIMIT_MARGIN_MS = 5_000;
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_MAX_MS = 30 * 60_000;

export function backoffMs(previousAttempts: number, base = BACKOFF_BASE_MS, max = BACKOFF_MAX_MS): number {
  return Math.min(max, base * 2 ** Math.max(0, previousAttempts));
}

/**
 * @param resetsAt the runtime's reset time (ISO string or epoch seconds/ms), if any
 * @param previousAttempts consecutive rate-limited/backoff restarts already made on this story and stage
 */
export function scheduleRateLimitRestart(
  resetsAt: string | number | undefined | null,
  now: Date,
  previousAttempts: number,
): { notBefore: Date; source: "reset_time" | "backoff" } {
  const reset = parseResetTime(resetsAt);
  if (reset && reset.getTime() > now.getTime()) {
    return { notBefore: new Date(reset.getTime() + RATE_LIMIT_MARGIN_MS), source: "reset_time" };
  }
  return { notBefore: new Date(now.getTime() + backoffMs(previousAttempts)), source: "backoff" };
}

/** Accepts ISO strings and epoch numbers (seconds when small enough to be seconds). */
export function parseResetTime(v: string | number | undefined | null): Date | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number" || /^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    const d = new Date(n < 1e12 ? n * 1000 : n);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
