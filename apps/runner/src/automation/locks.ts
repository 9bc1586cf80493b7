// Cross-runner mutual exclusion for pipeline work that runs longer than a transaction should
// (a merge runs gates): Postgres session advisory locks on a dedicated connection. If the runner
// dies, its connection closes and the lock is released with it.
import pg from "pg";

export const LOCK_SPACE = { merge: 0x6d72, assign: 0x6173, sweep: 0x7377, verdict: 0x7664, demo: 0x646d } as const;

/** Runs fn while holding the (space, key) lock; returns undefined without running it when another holder has it. */
export async function withAdvisoryLock<T>(
  databaseUrl: string,
  space: number,
  key: number,
  fn: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    const r = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [space, key]);
    if (!r.rows[0]?.ok) return { ran: false };
    try {
      return { ran: true, value: await fn() };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, $2)", [space, key]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}
