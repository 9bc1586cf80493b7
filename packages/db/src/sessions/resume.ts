import type { DbOrTx } from "./types.ts";

const RESUME_NOTE = (why: string) =>
  `Drover: your previous session was interrupted (${why}) before it finished. Check the state of the worktree and continue the task where you left off.`;

/**
 * interrupted → a new pending resume (resuming its runtime session when it has one, else starting
 * over with its prompt). The partial unique indexes make this a no-op when the agent or the story's
 * stage already has an active session (for example one auto-assign created).
 */
export async function scheduleResume(db: Pick<DbOrTx, "$executeRaw">, sessionId: number, why: string): Promise<boolean> {
  const note = RESUME_NOTE(why);
  const n = await db.$executeRaw`
    INSERT INTO agent_sessions (project_id, story_id, agent_id, stage, status, runtime, model, resume_of_id, trigger,
      resume_runtime_session_id, prompt, fresh_prompt, worktree_path, branch, base_branch, updated_at)
    SELECT s.project_id, s.story_id, s.agent_id, s.stage, 'pending', s.runtime, s.model, s.id, 'recovery',
      s.runtime_session_id,
      CASE WHEN s.runtime_session_id IS NOT NULL THEN ${note}::text ELSE COALESCE(s.fresh_prompt, s.prompt) END,
      CASE WHEN s.runtime_session_id IS NOT NULL THEN concat_ws(E'\n\n', COALESCE(s.fresh_prompt, s.prompt), ${note}::text) ELSE NULL END,
      s.worktree_path, s.branch, s.base_branch, now()
    FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
    WHERE s.id = ${sessionId} AND a.enabled AND s.stop_requested_at IS NULL
    ON CONFLICT DO NOTHING`;
  return n > 0;
}
