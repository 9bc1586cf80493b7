// Live subscriptions end when the caller signs out (or their token is revoked, or they are removed):
// the returned signal aborts when the request's does, or when a periodic re-check finds the sign-in gone.

/** How often a live subscription re-checks its sign-in. */
export const SIGN_IN_RECHECK_MS = 5_000;

export function untilSignedOut(ctx: { stillSignedIn(): Promise<boolean> }, signal: AbortSignal | undefined, everyMs = SIGN_IN_RECHECK_MS): AbortSignal {
  const ended = new AbortController();
  const timer = setInterval(() => {
    ctx.stillSignedIn().then(
      (ok) => ok || ended.abort(new Error("signed out")),
      () => {}, // a failed check (database hiccup) is not a sign-out; the next one decides
    );
  }, everyMs);
  const stop = () => clearInterval(timer);
  ended.signal.addEventListener("abort", stop, { once: true });
  signal?.addEventListener("abort", () => ended.abort(signal.reason), { once: true });
  if (signal?.aborted) ended.abort(signal.reason);
  return ended.signal;
}
