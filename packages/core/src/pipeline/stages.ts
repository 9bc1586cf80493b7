// Story stages, agent stages, and which moves between them are legal.
import { precondition } from "../errors.ts";
import type { AgentStageName } from "../config/types.ts";

export const STAGES = ["backlog", "current", "qa", "merge", "done", "archived"] as const;
export type StageName = (typeof STAGES)[number];

/** The story stage each agent stage works in (`other` works anywhere). */
export const AGENT_WORKS_IN: Record<Exclude<AgentStageName, "other">, StageName> = {
  coder: "current",
  qa: "qa",
  mergemaster: "merge",
};

export function agentWorksIn(agentStage: AgentStageName, storyStage: StageName): boolean {
  return agentStage === "other" || AGENT_WORKS_IN[agentStage] === storyStage;
}

/** The agent stage whose sessions belong to a story stage (null: none, e.g. backlog). */
export function agentStageFor(storyStage: StageName): Exclude<AgentStageName, "other"> | null {
  for (const [a, s] of Object.entries(AGENT_WORKS_IN)) if (s === storyStage) return a as Exclude<AgentStageName, "other">;
  return null;
}

/**
 * Legal moves. A story reaches `done` only through `merge` (done means merged), and leaves
 * `archived` only back to backlog or current. Everything else may go anywhere, so people can
 * correct the board by hand.
 */
export function moveProblem(from: StageName, to: StageName): string | null {
  if (from === to) return `the story is already in ${to}`;
  if (to === "done" && from !== "merge") return `a story reaches done only from merge (it is in ${from}); move it to merge first`;
  if (from === "archived" && to !== "backlog" && to !== "current") return `an archived story can only go back to backlog or current`;
  return null;
}

export function isLegalMove(from: StageName, to: StageName): boolean {
  return moveProblem(from, to) === null;
}

export function assertLegalMove(storyNumber: number, from: StageName, to: StageName): void {
  const p = moveProblem(from, to);
  if (p) throw precondition(`Cannot move story ${storyNumber} from ${from} to ${to}: ${p}`);
}
