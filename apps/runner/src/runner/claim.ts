// Claiming: in one short transaction, lock pending rows with FOR UPDATE SKIP LOCKED (runners never
// wait on each other), lock the story and agent (and the project for coders) and re-check the start
// rules, then mark the first eligible session running with this runner's lease and a new attempt.
// A session this runner cannot run (its runtime's CLI missing here, no credential) is left to others.
// A remote project's resume is left for a few seconds to the runner that holds its conversation,
// while that runner is alive and has room; any other runner then starts it fresh.
import type { AgentStageName } from "@drover/core/config/types";
import { canRun, runtimesWithCli, secretDecrypter, type RunnerCapabilities } from "@drover/core/runtimes/capabilities";
import { secretRefName } from "@drover/core/config/secret-refs";
import { secretKeyIds } from "@drover/db/secrets/key-ids";
import { runtimeCredentials } from "@drover/core/runtimes/credentials";
import { claimBlockedBy, type RunningSession } from "@drover/core/pipeline/claim-rule";
import type { Db } from "@drover/db";
import { claimPending, failClaimOfDisabledAgent, sessionInProjects } from "@drover/db/sessions/index";
import { projectConfigFrom } from "@drover/core/config/stored-config";

export interface Claimed {
  id: number;
  attempt: number;
  projectId: number;
  storyId: number;
}

interface Candidate {
  id: number;
  project_id: number;
  story_id: number;
  agent_id: number;
  stage: string;
  runtime: string;
  env: Record<string, string> | null;
  repo_path: string;
  remote: boolean;
  /** The runner that ran the conversation this session resumes (remote projects: its state folder is on that host). */
  holder: string | null;
  pending_secs: number;
}

/** How long a resume waits for the runner holding its conversation while that runner is alive and has room. */
export const PREFER_HOLDER_SECS = 10;

/** Runtimes whose CLI this runner lacks: filtered in SQL so their sessions never crowd the candidates out. */
function missingClis(caps: RunnerCapabilities | null): string[] {
  if (!caps) return [];
  const have = new Set(runtimesWithCli(caps));
  return Object.keys(runtimeCredentials).filter((r) => !have.has(r));
}

/**
 * `caps` is what this runner can run (null: unknown, everything is tried).
 * `reachable(projectId, repoPath)` says whether this host has a local project's repository; projects
 * known to be unreachable are listed in `unreachable` so they never crowd the candidates out.
 */
export async function claimNext(
  db: Db,
  runnerId: string,
  leaseSecs: number,
  reach: { unreachable: number[]; reachable(projectId: number, repoPath: string): boolean },
  caps: RunnerCapabilities | null = null,
  secretKeyId: string | null = null,
  /** The projects this runner serves (`--projects`); empty: every project. */
  projects: readonly number[] = [],
): Promise<Claimed | null> {
  const missing = missingClis(caps);
  return db.$transaction(
    async (tx) => {
      const cands = await tx.$queryRaw<Candidate[]>`
        SELECT s.id, s.project_id, s.story_id, s.agent_id, s.stage::text AS stage, s.runtime, a.config->'env' AS env, p.repo_path, p.remote_url IS NOT NULL AS remote,
          CASE WHEN s.resume_runtime_session_id IS NOT NULL AND p.remote_url IS NOT NULL THEN
            (SELECT h.runner_id FROM agent_sessions h WHERE h.story_id = s.story_id AND h.agent_id = s.agent_id
               AND h.runtime_session_id = s.resume_runtime_session_id AND h.id <> s.id ORDER BY h.id DESC LIMIT 1)
          END AS holder,
          EXTRACT(EPOCH FROM now() - GREATEST(s.created_at, COALESCE(s.not_before, s.created_at)))::float8 AS pending_secs
        FROM agent_sessions s JOIN projects p ON p.id = s.project_id JOIN agents a ON a.id = s.agent_id
        WHERE s.status = 'pending' AND s.stop_requested_at IS NULL
          AND (s.not_before IS NULL OR s.not_before <= now())
          AND s.project_id <> ALL(${reach.unreachable})
          AND ${sessionInProjects(projects)}
          AND s.runtime <> ALL(${missing})
        ORDER BY s.created_at, s.id
        LIMIT 8
        FOR UPDATE OF s SKIP LOCKED`;
      for (const c of cands) {
        // A remote project is reachable from any host (each clones it); a local one only where its path is.
        if (!c.remote && !reach.reachable(c.project_id, c.repo_path)) continue;
        // No credential here (nor a secret this runner can decrypt): another runner's.
        const usesSecrets = Object.values(c.env ?? {}).some((v) => typeof v === "string" && secretRefName(v) !== undefined);
        const decrypt = usesSecrets ? secretDecrypter(secretKeyId, await secretKeyIds(tx, c.project_id)) : undefined;
        if (!canRun(caps, { runtime: c.runtime, env: c.env }, decrypt).ok) continue;
        // Coders count against the project's max_coders: serialize coder claims per project. One
        // statement takes the locks, in the order FOR UPDATE OF names them: project, story, agent.
        const [agent] =
          c.stage === "coder"
            ? await tx.$queryRaw<{ enabled: boolean; config: unknown }[]>`
                SELECT a.enabled, p.config FROM projects p, stories st, agents a
                WHERE p.id = ${c.project_id} AND st.id = ${c.story_id} AND a.id = ${c.agent_id} FOR UPDATE OF p, st, a`
            : await tx.$queryRaw<{ enabled: boolean; config: unknown }[]>`
                SELECT a.enabled, NULL AS config FROM stories st, agents a WHERE st.id = ${c.story_id} AND a.id = ${c.agent_id} FOR UPDATE OF st, a`;
        const maxCoders = c.stage === "coder" ? projectConfigFrom(agent?.config).max_coders : undefined;
        if (!agent?.enabled) {
          await failClaimOfDisabledAgent(tx, c.id);
          continue;
        }
        // The rule is core's claimBlockedBy; SQL only reads the running sessions it judges.
        const running = await tx.$queryRaw<RunningSession[]>`
          SELECT id, agent_id AS "agentId", story_id AS "storyId", stage::text AS stage
          FROM agent_sessions WHERE project_id = ${c.project_id} AND status = 'running'`;
        const cand = { id: c.id, agentId: c.agent_id, storyId: c.story_id, stage: c.stage as AgentStageName };
        if (claimBlockedBy(cand, running, maxCoders)) continue;
        if (c.holder && c.holder !== runnerId) {
          // The conversation's state folder is on the holder's host: leave the resume to it while it can take it.
          if (c.pending_secs < PREFER_HOLDER_SECS && (await holderHasRoom(tx, c.holder, leaseSecs))) continue;
          // Here it cannot be resumed: start fresh with the story's context, as when the runtime does not know the id.
          await tx.$executeRaw`UPDATE agent_sessions SET resume_runtime_session_id = NULL, prompt = COALESCE(fresh_prompt, prompt) WHERE id = ${c.id}`;
        }
        const row = await claimPending(tx, c.id, runnerId, leaseSecs);
        if (!row) continue; // locked FOR UPDATE while pending, so this does not happen; the guard says so
        return { id: c.id, attempt: row.attempt, projectId: c.project_id, storyId: c.story_id };
      }
      return null;
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
}

/** The runner is alive (heartbeat within the lease, not stopped) and runs fewer sessions than its capacity. */
async function holderHasRoom(tx: Parameters<Parameters<Db["$transaction"]>[0]>[0], runnerId: string, leaseSecs: number): Promise<boolean> {
  const [r] = await tx.$queryRaw<{ room: boolean }[]>`
    SELECT r.capacity > (SELECT count(*) FROM agent_sessions WHERE runner_id = r.id AND status = 'running') AS room
    FROM runners r
    WHERE r.id = ${runnerId} AND r.stopped_at IS NULL AND r.heartbeat_at > now() - make_interval(secs => ${leaseSecs}::double precision)`;
  return r?.room === true;
}
