import { describe, expect, it } from "vitest";
import { planAutoAssign, type AssignAgent, type AssignInput, type AssignStory } from "../../src/automation/assignment-plan.ts";

const now = new Date("2026-11-24T00:00:00Z");
let n = 0;
const story = (over: Partial<AssignStory>): AssignStory => {
  n++;
  return { id: n, number: n, kind: "story", stage: "current", position: n, blocked: false, reviewHold: false, dependsOn: [], activeStages: [], ...over };
};
const agent = (name: string, stage: AssignAgent["stage"], over: Partial<AssignAgent> = {}): AssignAgent => ({
  name,
  stage,
  enabled: true,
  busy: false,
  model: "sonnet",
  ...over,
});
const plan = (over: Partial<AssignInput>) =>
  planAutoAssign({
    stories: [],
    doneNumbers: new Set(),
    agents: [],
    activeCoders: 0,
    settings: { defaultQa: "server", maxRetries: 2, maxCoders: 3 },
    spentTodayUsd: 0,
    now,
    ...over,
  });
const starts = (p: ReturnType<typeof plan>) => p.picks.map((x) => (x.kind === "start" ? `${x.storyNumber}:${x.agentName}` : `${x.storyNumber}:merge`));

describe("auto-assign", () => {
  it("scans current, qa, merge in board order and never starts backlog", () => {
    const p = plan({
      stories: [
        story({ number: 10, stage: "merge", position: 0 }),
        story({ number: 11, stage: "qa", qa: "agent", position: 0 }),
        story({ number: 12, stage: "current", position: 2 }),
        story({ number: 13, stage: "current", position: 1 }),
        story({ number: 14, stage: "backlog", position: 0 }),
      ],
      agents: [agent("c1", "coder"), agent("c2", "coder"), agent("q1", "qa"), agent("m1", "mergemaster")],
    });
    expect(starts(p)).toEqual(["13:c1", "12:c2", "11:q1", "10:merge"]);
  });
  it("skips blocked, merge_failure, review_hold and unmet depends_on", () => {
    const p = plan({
      stories: [
        story({ number: 1, blocked: true }),
        story({ number: 2, mergeFailure: "empty diff", stage: "merge" }),
        story({ number: 3, reviewHold: true, stage: "qa", qa: "human" }),
        story({ number: 4, dependsOn: [7] }),
        story({ number: 5, dependsOn: [6] }),
      ],
      doneNumbers: new Set([6]),
      agents: [agent("c1", "coder"), agent("c2", "coder")],
    });
    expect(starts(p)).toEqual(["5:c1"]);
    expect(p.skipped.find((s) => s.storyNumber === 4)?.why).toContain("#7");
  });
  it("skips a story held by a Stop, pinned or not, in any stage (issue 18 item 1)", () => {
    const p = plan({
      stories: [
        story({ number: 1, heldBy: "Ana" }),
        story({ number: 2, heldBy: "Ana", agent: "c2" }),
        story({ number: 3, heldBy: "Bo", stage: "merge" }),
        story({ number: 4 }),
      ],
      agents: [agent("c1", "coder"), agent("c2", "coder")],
    });
    expect(starts(p)).toEqual(["4:c1"]);
    expect(p.skipped.find((s) => s.storyNumber === 2)?.why).toBe("held by Ana (stopped; waiting for a resume, restart or release)");
    expect(p.skipped.find((s) => s.storyNumber === 3)?.why).toMatch(/held by Bo/);
  });
  it("a busy pinned agent makes the story wait, with no fallback", () => {
    const p = plan({ stories: [story({ number: 1, agent: "c1" })], agents: [agent("c1", "coder", { busy: true }), agent("c2", "coder")] });
    expect(starts(p)).toEqual([]);
    expect(p.skipped[0].why).toContain("pinned agent c1 is busy");
  });
  it("a free pinned agent is used even when its model is not default_coder_model", () => {
    const p = plan({
      stories: [story({ number: 1, agent: "opus" }), story({ number: 2 })],
      agents: [agent("opus", "coder", { model: "opus" }), agent("c2", "coder", { model: "sonnet" })],
      settings: { defaultQa: "server", maxRetries: 2, maxCoders: 3, defaultCoderModel: "sonnet" },
    });
    expect(starts(p)).toEqual(["1:opus", "2:c2"]);
  });
  it("only coders with default_coder_model are auto-assigned", () => {
    const p = plan({
      stories: [story({ number: 1 })],
      agents: [agent("big", "coder", { model: "opus" })],
      settings: { defaultQa: "server", maxRetries: 2, maxCoders: 3, defaultCoderModel: "sonnet" },
    });
    expect(starts(p)).toEqual([]);
  });
  it("respects max_coders, counting coders already running", () => {
    const p = plan({
      stories: [story({ number: 1 }), story({ number: 2 }), story({ number: 3 })],
      agents: [agent("a", "coder"), agent("b", "coder"), agent("c", "coder")],
      activeCoders: 1,
      settings: { defaultQa: "server", maxRetries: 2, maxCoders: 2 },
    });
    expect(starts(p)).toEqual(["1:a"]);
  });
  it("does not start QA agents for server or human QA, nor for stories already being worked", () => {
    const p = plan({
      stories: [
        story({ number: 1, stage: "qa" }),
        story({ number: 2, stage: "current", activeStages: ["coder"] }),
        story({ number: 3, stage: "merge", activeStages: ["mergemaster"] }),
      ],
      agents: [agent("q", "qa"), agent("c", "coder")],
    });
    expect(starts(p)).toEqual([]);
  });
  it("the role is the agent's stage, not its name", () => {
    const p = plan({ stories: [story({ number: 1 })], agents: [agent("coder-looking-qa", "qa"), agent("qa-looking-coder", "coder")] });
    expect(starts(p)).toEqual(["1:qa-looking-coder"]);
  });
  it("resumes interrupted sessions with the same agent, at any stage", () => {
    const p = plan({
      stories: [story({ number: 1, stage: "merge", interrupted: { agentName: "mm", reason: "runner_lost" } })],
      agents: [agent("mm", "mergemaster")],
    });
    expect(p.picks).toEqual([{ kind: "start", storyId: expect.any(Number), storyNumber: 1, agentName: "mm", trigger: "resume" }]);
  });
  it("throttled agents are not picked; a spent daily budget halts visibly", () => {
    const throttled = plan({ stories: [story({ number: 1 })], agents: [agent("c", "coder", { throttledUntil: new Date(now.getTime() + 60_000) })] });
    expect(starts(throttled)).toEqual([]);
    const spent = plan({
      stories: [story({ number: 1 })],
      agents: [agent("c", "coder")],
      settings: { defaultQa: "server", maxRetries: 2, maxCoders: 3, dailyBudgetUsd: 5 },
      spentTodayUsd: 5.01,
    });
    expect(spent.picks).toEqual([]);
    expect(spent.halted).toContain("daily budget spent");
  });
});

describe("auto-assign waits for the last session's verdict", () => {
  it("does not start a fresh agent while a retry decision is pending (no race with the retry)", () => {
    const p = plan({ stories: [story({ number: 1, awaitingVerdict: true })], agents: [agent("c", "coder")] });
    expect(starts(p)).toEqual([]);
    expect(p.skipped[0].why).toContain("decision");
  });
});
