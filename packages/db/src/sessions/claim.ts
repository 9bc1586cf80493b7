import type { DbOrTx } from "./types.ts";

/** pending → running for this runner, with a lease and a new attempt. Null when it was no longer pending. */
export async function claimPending(tx: DbOrTx, id: number, runnerId: string, leaseSecs: number): Promise<{ attempt: number } | null> {
  const [row] = await tx.$queryRaw<{ attempt: number }[]>`
    UPDATE agent_sessions
    SET status = 'running', runner_id = ${runnerId}, attempt = attempt + 1,
        lease_expires_at = now() + make_interval(secs => ${leaseSecs}::double precision),
        started_at = now(), reason = NULL, message = NULL, updated_at = now()
    WHERE id = ${id} AND status = 'pending'
    RETURNING attempt`;
  return row ?? null;
}

/** pending → failed: the agent left the roster before a runner claimed the session. */
export async function failClaimOfDisabledAgent(tx: DbOrTx, id: number): Promise<boolean> {
  const n = await tx.$executeRaw`
    UPDATE agent_sessions SET status = 'failed', reason = 'agent_disabled',
      message = 'The agent was removed from the roster before it started', finished_at = now(), updated_at = now()
    WHERE id = ${id} AND status = 'pending'`;
  return n > 0;
}
