// The start rules re-checked when a runner claims a pending session: the same busy-agent,
// busy-stage and max_coders rules decideStart applies (rules 5-7 and 4's max_coders), now over the
// sessions actually running. A pending session that fails them stays pending for a later claim.
import type { AgentStageName } from "../config/types.ts";

export interface ClaimCandidate {
  id: number;
  agentId: number;
  storyId: number;
  stage: AgentStageName;
}

export interface RunningSession {
  id: number;
  agentId: number;
  storyId: number;
  stage: AgentStageName;
}

export type ClaimBlock = "agent_busy" | "stage_busy" | "max_coders";

/** Why `c` cannot be claimed now, or null. `running`: the project's running sessions. */
export function claimBlockedBy(c: ClaimCandidate, running: RunningSession[], maxCoders: number | undefined): ClaimBlock | null {
  const others = running.filter((r) => r.id !== c.id);
  if (others.some((r) => r.agentId === c.agentId)) return "agent_busy";
  if (c.stage !== "other" && others.some((r) => r.storyId === c.storyId && r.stage === c.stage)) return "stage_busy";
  if (c.stage === "coder" && maxCoders !== undefined && running.filter((r) => r.stage === "coder").length >= maxCoders) return "max_coders";
  return null;
}
