// The claim-time start rules, case by case (the runner's claim applies exactly this function).
import { describe, expect, it } from "vitest";
import { claimBlockedBy, type ClaimBlock, type ClaimCandidate, type RunningSession } from "../src/pipeline/claim-rule.ts";

const coder = (id: number, agentId: number, storyId: number): RunningSession => ({ id, agentId, storyId, stage: "coder" });
const cand: ClaimCandidate = { id: 100, agentId: 1, storyId: 10, stage: "coder" };

const cases: [string, ClaimCandidate, RunningSession[], number | undefined, ClaimBlock | null][] = [
  ["nothing running", cand, [], 3, null],
  ["its own row is not a rival", cand, [coder(100, 1, 10)], 3, null],
  ["the agent runs elsewhere", cand, [coder(1, 1, 11)], 3, "agent_busy"],
  ["another coder on the story", cand, [coder(2, 2, 10)], 3, "stage_busy"],
  ["a qa on the story does not block a coder", cand, [{ id: 3, agentId: 3, storyId: 10, stage: "qa" }], 3, null],
  ["other is exempt from one-per-stage", { ...cand, stage: "other" }, [{ id: 4, agentId: 4, storyId: 10, stage: "other" }], 3, null],
  ["max_coders reached", cand, [coder(5, 5, 11), coder(6, 6, 12)], 2, "max_coders"],
  ["max_coders not reached", cand, [coder(5, 5, 11)], 2, null],
  ["max_coders binds coders only", { ...cand, stage: "qa" }, [coder(5, 5, 11), coder(6, 6, 12)], 2, null],
  ["no max_coders: no limit", cand, [coder(5, 5, 11), coder(6, 6, 12)], undefined, null],
];

describe("claimBlockedBy", () => {
  it.each(cases)("%s", (_name, c, running, max, want) => {
    expect(claimBlockedBy(c, running, max)).toBe(want);
  });
});
