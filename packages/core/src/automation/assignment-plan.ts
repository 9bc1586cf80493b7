// Which agents auto-assign starts, in board order. Pure: the runner feeds it a snapshot and then
// asks startAgent (which re-checks every rule, and with `autoAssign` the story's eligibility,
// under its row lock) for each pick, so a stale snapshot or a second runner doing the same pass
// can only cause refused starts, never double work.
import { resolveQaMode } from "./qa-mode.ts";
import { WORKER_STAGE, type AgentStage, type PipelineSettings, type QaMode, type StoryKind, type StoryStage } from "./types.ts";

export interface AssignStory {
  id: number;
  number: number;
  kind: StoryKind;
  stage: StoryStage;
  position: number;
  agent?: string | null;
  qa?: QaMode | null;
  blocked: boolean;
  /** Who stopped it (held until someone resumes, restarts or releases it). */
  heldBy?: string | null;
  mergeFailure?: string | null;
  reviewHold: boolean;
  dependsOn: number[];
  /** Agent stages with a pending or running session on this story. */
  activeStages: AgentStage[];
  /** The last session at the stage the story is in, when it was interrupted (runner lost) and should resume. */
  interrupted?: { agentName: string; reason?: string | null } | null;
  /** A restart is already scheduled (pending session with not_before in the future). */
  scheduled?: boolean;
  /** The last session at this stage ended but the pipeline has not applied its decision yet. */
  awaitingVerdict?: boolean;
}

/**
 * Why a story may not be auto-assigned right now, or null. The planner uses it on its snapshot;
 * startAgent asks it again under the story's row lock, because the snapshot can be stale.
 */
export function notAssignableBecause(
  s: Pick<AssignStory, "blocked" | "heldBy" | "mergeFailure" | "reviewHold" | "dependsOn" | "awaitingVerdict">,
  doneNumbers: ReadonlySet<number>,
): string | null {
  if (s.blocked) return "blocked";
  if (s.heldBy) return `held by ${s.heldBy} (stopped; waiting for a resume, restart or release)`;
  if (s.mergeFailure) return "merge failure recorded";
  if (s.reviewHold) return "waiting for human review";
  const missing = s.dependsOn.filter((n) => !doneNumbers.has(n));
  if (missing.length) return `depends on ${missing.map((n) => `#${n}`).join(", ")} not done`;
  if (s.awaitingVerdict) return "waiting for the pipeline's decision on the last session";
  return null;
}

export interface AssignAgent {
  name: string;
  stage: AgentStage;
  model?: string | null;
  enabled: boolean;
  busy: boolean;
  throttledUntil?: Date | null;
}

export interface AssignInput {
  stories: AssignStory[];
  /** Numbers of stories that are done or archived. */
  doneNumbers: Set<number>;
  agents: AssignAgent[];
  /** Active coder sessions in the project right now. */
  activeCoders: number;
  settings: PipelineSettings;
  /** Spend today (UTC) across the project. */
  spentTodayUsd: number;
  now: Date;
}

export type AssignPick =
  | { kind: "start"; storyId: number; storyNumber: number; agentName: string; trigger: "auto_assign" | "resume" }
  | { kind: "merge"; storyId: number; storyNumber: number };

export interface AssignSkip {
  storyNumber: number;
  why: string;
}

export interface AssignPlan {
  picks: AssignPick[];
  skipped: AssignSkip[];
  /** Set when nothing may start at all (daily budget spent). */
  halted?: string;
}

const ORDER: StoryStage[] = ["current", "qa", "merge"];

export function planAutoAssign(input: AssignInput): AssignPlan {
  const picks: AssignPick[] = [];
  const skipped: AssignSkip[] = [];
  const budget = input.settings.dailyBudgetUsd;
  if (budget != null && budget > 0 && input.spentTodayUsd >= budget) {
    return {
      picks,
      skipped,
      halted: `daily budget spent: $${input.spentTodayUsd.toFixed(2)} of $${budget.toFixed(2)}; auto-assign resumes tomorrow (UTC) or when the budget is raised`,
    };
  }
  const taken = new Set(input.agents.filter((a) => a.busy).map((a) => a.name));
  let coders = input.activeCoders;
  const byName = new Map(input.agents.map((a) => [a.name, a]));
  const usable = (a: AssignAgent) => a.enabled && !taken.has(a.name) && !(a.throttledUntil && a.throttledUntil.getTime() > input.now.getTime());

  const ordered = input.stories
    .filter((s) => ORDER.includes(s.stage))
    .sort((a, b) => ORDER.indexOf(a.stage) - ORDER.indexOf(b.stage) || a.position - b.position || a.number - b.number);

  for (const s of ordered) {
    const skip = (why: string) => skipped.push({ storyNumber: s.number, why });
    const need = WORKER_STAGE[s.stage]!;
    // awaitingVerdict is only ever set when no session of `need` is active, so checking it
    // before "already being worked" changes no outcome.
    const why = notAssignableBecause(s, input.doneNumbers);
    if (why) {
      skip(why);
      continue;
    }
    if (s.activeStages.includes(need) || s.scheduled) {
      skip("already being worked");
      continue;
    }
    if (need === "qa" && resolveQaMode(s, input.settings.defaultQa) !== "agent" && !s.interrupted) {
      skip("QA is not done by an agent");
      continue;
    }

    // A session cut off by a lost runner resumes with the same agent, whatever the stage.
    if (s.interrupted) {
      const a = byName.get(s.interrupted.agentName);
      if (!a || !usable(a)) {
        skip(`interrupted agent ${s.interrupted.agentName} is not free`);
        continue;
      }
      if (a.stage === "coder" && coders >= input.settings.maxCoders) {
        skip(`max_coders (${input.settings.maxCoders}) reached`);
        continue;
      }
      picks.push({ kind: "start", storyId: s.id, storyNumber: s.number, agentName: a.name, trigger: "resume" });
      taken.add(a.name);
      if (a.stage === "coder") coders++;
      continue;
    }
    // Drover merges by itself; a mergemaster is only started by the merge when it needs help.
    if (need === "mergemaster") {
      picks.push({ kind: "merge", storyId: s.id, storyNumber: s.number });
      continue;
    }

    if (need === "coder" && coders >= input.settings.maxCoders) {
      skip(`max_coders (${input.settings.maxCoders}) reached`);
      continue;
    }
    const pinned = s.agent ? byName.get(s.agent) : undefined;
    let chosen: AssignAgent | undefined;
    if (pinned && pinned.stage === need) {
      // A pin is a promise: a busy pinned agent means the story waits, never a fallback.
      if (!usable(pinned)) {
        skip(`pinned agent ${pinned.name} is busy`);
        continue;
      }
      chosen = pinned;
    } else {
      chosen = input.agents.find(
        (a) => a.stage === need && usable(a) && (need !== "coder" || !input.settings.defaultCoderModel || a.model === input.settings.defaultCoderModel),
      );
    }
    if (!chosen) {
      skip(`no free ${need} agent`);
      continue;
    }
    picks.push({ kind: "start", storyId: s.id, storyNumber: s.number, agentName: chosen.name, trigger: "auto_assign" });
    taken.add(chosen.name);
    if (need === "coder") coders++;
  }
  return { picks, skipped };
}
