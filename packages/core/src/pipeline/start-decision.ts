// The start-agent decision (storkit's rules 1-7) as a pure function over a snapshot the caller
// read under row locks. packages/db applies the result in the same transaction.
import type { AgentStageName } from "../config/types.ts";
import { conflict, notFound, precondition, type DomainError } from "../errors.ts";
import { AGENT_WORKS_IN, agentWorksIn, type StageName } from "./stages.ts";

export interface RosterAgent {
  name: string;
  stage: AgentStageName;
  model?: string | null;
  enabled: boolean;
  /** Rate-limited until this time: not auto-assigned before then. */
  throttledUntil?: Date | null;
}

export interface ActiveSession {
  agentName: string;
  storyNumber: number;
  stage: AgentStageName;
  status: "pending" | "running";
}

export interface StartSnapshot {
  story: { number: number; stage: StageName; agent?: string | null };
  roster: RosterAgent[];
  /** Every pending or running session in the project. */
  active: ActiveSession[];
  config: { default_coder_model?: string; max_coders: number };
  /** The agent the caller named (explicit start), if any. */
  agentName?: string;
  now?: Date;
}

export type StartDecision =
  | { ok: true; agent: RosterAgent; moveToCurrent: boolean }
  | {
      ok: false;
      error: DomainError;
      /** Queued outcomes still commit: the story moves to current and may keep a pin for auto-assign. */
      moveToCurrent: boolean;
      pin?: string;
      rule: number;
    };

const fail = (rule: number, error: DomainError, moveToCurrent = false, pin?: string): StartDecision => ({ ok: false, error, moveToCurrent, pin, rule });

export function decideStart(s: StartSnapshot): StartDecision {
  const { story } = s;
  const now = s.now ?? new Date();
  const enabled = s.roster.filter((a) => a.enabled);
  const activeOf = (name: string) => s.active.find((x) => x.agentName === name);

  // Rule 1: a named agent must be in the roster.
  let named: RosterAgent | undefined;
  if (s.agentName !== undefined) {
    named = enabled.find((a) => a.name === s.agentName);
    if (!named) return fail(1, notFound(`No agent named ${s.agentName} in this project's roster`));
  }

  // Rule 2: only a coder start (explicit, or implicit) moves backlog -> current.
  const startingStage: AgentStageName = named ? named.stage : "coder";
  const moveToCurrent = startingStage === "coder" && story.stage === "backlog";
  const stage: StageName = moveToCurrent ? "current" : story.stage;

  // Rule 3: the agent's stage must match the story's.
  if (!agentWorksIn(startingStage, stage)) {
    const worksIn = AGENT_WORKS_IN[startingStage as Exclude<AgentStageName, "other">];
    const who = named ? `${named.name} is a ${named.stage} agent` : `With no agent named a coder is started; coders`;
    const tail = named ? ` and works on stories in ${worksIn}` : ` work on stories in ${worksIn}`;
    return fail(3, precondition(`${who}${tail}, but story ${story.number} is in ${story.stage}${named ? "" : "; name an agent for that stage"}`));
  }

  const onStory = s.active.filter((x) => x.storyNumber === story.number);

  if (named) {
    // Rule 5: the same agent already on this story.
    const same = onStory.find((x) => x.agentName === named.name);
    if (same) return fail(5, conflict(`${named.name} is already ${same.status} on story ${story.number}`));
    // Rule 6: another agent of the same pipeline stage on this story (`other` exempt).
    if (named.stage !== "other") {
      const rival = onStory.find((x) => x.stage === named.stage);
      if (rival) return fail(6, conflict(`Story ${story.number} already has ${named.stage} ${rival.agentName} ${rival.status}; stop it first`));
    }
    // Rule 7: a named agent busy elsewhere; the story waits for it.
    const elsewhere = activeOf(named.name);
    if (elsewhere) {
      return fail(
        7,
        conflict(`${named.name} is busy on story ${elsewhere.storyNumber}; story ${story.number} will be picked up when the agent becomes available`),
        moveToCurrent,
        named.name,
      );
    }
    return { ok: true, agent: named, moveToCurrent };
  }

  // Implicit coder start. Rule 6 first: one coder per story.
  const rival = onStory.find((x) => x.stage === "coder");
  if (rival) return fail(6, conflict(`Story ${story.number} already has coder ${rival.agentName} ${rival.status}; stop it first`));

  // Rule 4: the pin, then any free coder.
  const coders = enabled.filter((a) => a.stage === "coder");
  if (!coders.length) return fail(4, precondition(`no coder agent configured: add an [[agent]] with stage = "coder" to the project config`));
  const free = (a: RosterAgent) => !activeOf(a.name) && !(a.throttledUntil && a.throttledUntil > now);
  const pinned = story.agent ? coders.find((a) => a.name === story.agent) : undefined;
  if (pinned) {
    if (free(pinned)) return { ok: true, agent: pinned, moveToCurrent };
    return fail(4, conflict(`preferred agent ${pinned.name} is busy; story queued in current and will be auto-assigned`), moveToCurrent);
  }
  const activeCoders = s.active.filter((x) => x.stage === "coder").length;
  const eligible = coders.filter((a) => !s.config.default_coder_model || a.model === s.config.default_coder_model);
  if (!eligible.length) {
    return fail(4, precondition(`no coder uses default_coder_model "${s.config.default_coder_model}"; pin a coder on the story or name one`));
  }
  const pick = activeCoders < s.config.max_coders ? eligible.find(free) : undefined;
  if (!pick) {
    const why = activeCoders >= s.config.max_coders ? ` (max_coders = ${s.config.max_coders} reached)` : "";
    return fail(4, conflict(`all coders busy; story queued${why}`), moveToCurrent);
  }
  return { ok: true, agent: pick, moveToCurrent };
}
