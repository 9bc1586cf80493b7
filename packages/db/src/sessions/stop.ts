import type { DbOrTx } from "./types.ts";
import { sessionInProjects } from "./project-scope.ts";
import type { Interrupted } from "./interrupt.ts";

/** pending → stopped. False when it was no longer pending. */
export async function stopPending(tx: DbOrTx, id: number, reason: string, message: string): Promise<boolean> {
  const r = await tx.agentSession.updateMany({ where: { id, status: "pending" }, data: { status: "stopped", reason, message, finishedAt: new Date() } });
  return r.count === 1;
}

/** A running session gets stop_requested_at; the runner that owns it kills the process and ends it. */
export async function requestStopOfRunning(tx: DbOrTx, id: number, message: string): Promise<boolean> {
  const r = await tx.agentSession.updateMany({ where: { id, status: "running", stopRequestedAt: null }, data: { stopRequestedAt: new Date(), message } });
  return r.count === 1;
}

/** pending with a stop requested before any runner claimed it → stopped (user_stop). */
export function stopUnclaimedStopRequests(db: DbOrTx, projects: readonly number[] = []): Promise<Interrupted[]> {
  return db.$queryRaw<Interrupted[]>`
    UPDATE agent_sessions s SET status = 'stopped', reason = 'user_stop', finished_at = now(), updated_at = now()
    FROM agents a
    WHERE a.id = s.agent_id AND s.status = 'pending' AND s.stop_requested_at IS NOT NULL
      AND ${sessionInProjects(projects)}
    RETURNING s.id, s.project_id, s.story_id, a.name AS agent_name`;
}
