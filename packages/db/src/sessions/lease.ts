import type { DbOrTx } from "./types.ts";

/** Extends the leases of this runner's running sessions among `ids`; returns the ids it still owns. */
export async function extendLeases(db: DbOrTx, runnerId: string, ids: number[], leaseSecs: number): Promise<Set<number>> {
  const kept = await db.$queryRaw<{ id: number }[]>`
    UPDATE agent_sessions SET lease_expires_at = now() + make_interval(secs => ${leaseSecs}::double precision)
    WHERE runner_id = ${runnerId} AND status = 'running' AND id = ANY(${ids})
    RETURNING id`;
  return new Set(kept.map((k) => k.id));
}

/** A stopping runner releases the leases of what it still has running, for the sweeper to interrupt. */
export async function releaseLeases(db: DbOrTx, runnerId: string): Promise<void> {
  await db.agentSession.updateMany({ where: { runnerId, status: "running" }, data: { leaseExpiresAt: new Date() } });
}

/** Expires the leases of this runner id's running sessions at once (a restarted runner's leftovers). */
export async function expireLeases(db: DbOrTx, runnerId: string): Promise<number> {
  return db.$executeRaw`UPDATE agent_sessions SET lease_expires_at = now() - interval '1 second' WHERE runner_id = ${runnerId} AND status = 'running'`;
}
