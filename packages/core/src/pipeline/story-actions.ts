// Which of a person's actions fit a story's state, so the story page offers only those: nothing
// starts, blocks or reviews a merged story; review only while it waits for human review.
import { isLegalMove, STAGES, type StageName } from "./stages.ts";

export interface StoryState {
  stage: StageName;
  blocked: boolean;
  reviewHold: boolean;
  mergeFailure: string | null;
  retryCount: number;
}

export interface StoryActions {
  start: boolean;
  /** Review by a person: approve or reject. */
  review: boolean;
  /** Restart a stuck story (retries reset, block and merge failure cleared). */
  retry: boolean;
  block: boolean;
  unblock: boolean;
  /** The stages the story may be moved to. */
  moveTo: StageName[];
}

const FINISHED: readonly StageName[] = ["done", "archived"];

/** `lastSessionFailed`: the story's latest session ended failed or interrupted. */
export function storyActions(s: StoryState, opts: { activeSessions: number; lastSessionFailed: boolean }): StoryActions {
  const finished = FINISHED.includes(s.stage);
  const stuck = s.blocked || !!s.mergeFailure || s.retryCount > 0 || opts.lastSessionFailed;
  return {
    start: !finished && !s.blocked && s.stage !== "merge",
    review: s.stage === "qa" && s.reviewHold,
    retry: !finished && s.stage !== "backlog" && stuck && opts.activeSessions === 0,
    block: !finished && !s.blocked,
    unblock: s.blocked,
    moveTo: STAGES.filter((to) => isLegalMove(s.stage, to)),
  };
}
