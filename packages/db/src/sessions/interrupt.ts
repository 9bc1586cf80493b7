import type { DbOrTx } from "./types.ts";
import { sessionInProjects } from "./project-scope.ts";

export interface Interrupted {
  id: number;
  project_id: number;
  story_id: number;
  agent_name: string;
}

/**
 * running with an expired lease → interrupted (runner_lost), in `projects` (empty: every project).
 * Returns the sessions it interrupted.
 */
export function interruptExpired(tx: DbOrTx, projects: readonly number[] = []): Promise<Interrupted[]> {
  return tx.$queryRaw<Interrupted[]>`
    UPDATE agent_sessions s
    SET status = 'interrupted', reason = 'runner_lost',
        message = 'The runner running this session stopped heartbeating (lease expired)',
        finished_at = now(), lease_expires_at = NULL, updated_at = now()
    FROM agents a
    WHERE a.id = s.agent_id AND s.status = 'running' AND s.lease_expires_at < now()
      AND ${sessionInProjects(projects)}
    RETURNING s.id, s.project_id, s.story_id, a.name AS agent_name`;
}
