// The pure start decision, rule by rule (the database tests in packages/db/test/services cover the
// same rules under locks and races).
import { describe, expect, it } from "vitest";
import { decideStart, type ActiveSession, type RosterAgent, type StartSnapshot } from "../src/pipeline/start-decision.ts";

const roster: RosterAgent[] = [
  { name: "c1", stage: "coder", model: "sonnet", enabled: true },
  { name: "c2", stage: "coder", model: "sonnet", enabled: true },
  { name: "big", stage: "coder", model: "opus", enabled: true },
  { name: "q", stage: "qa", model: "sonnet", enabled: true },
  { name: "m", stage: "mergemaster", enabled: true },
  { name: "o", stage: "other", enabled: true },
  { name: "gone", stage: "coder", enabled: false },
];
const snap = (over: Partial<StartSnapshot> & { stage?: StartSnapshot["story"]["stage"]; pin?: string }): StartSnapshot => ({
  story: { number: 7, stage: over.stage ?? "current", agent: over.pin ?? null },
  roster,
  active: [],
  config: { max_coders: 3 },
  ...over,
});
const act = (agentName: string, storyNumber: number, stage: ActiveSession["stage"], status: ActiveSession["status"] = "running"): ActiveSession => ({
  agentName,
  storyNumber,
  stage,
  status,
});
const err = (s: StartSnapshot) => {
  const d = decideStart(s);
  if (d.ok) throw new Error(`expected a refusal, got ${d.agent.name}`);
  return d;
};

describe("decideStart", () => {
  it("rule 1: unknown or removed agents are refused", () => {
    expect(err(snap({ agentName: "nope" }))).toMatchObject({ rule: 1, error: { code: "NOT_FOUND", message: expect.stringMatching(/^No agent named nope/) } });
    expect(err(snap({ agentName: "gone" })).rule).toBe(1);
  });

  it("rule 2: coder starts move backlog to current; others never move", () => {
    expect(decideStart(snap({ stage: "backlog", agentName: "c1" }))).toMatchObject({ ok: true, moveToCurrent: true });
    expect(decideStart(snap({ stage: "backlog" }))).toMatchObject({ ok: true, moveToCurrent: true });
    expect(decideStart(snap({ stage: "current", agentName: "c1" }))).toMatchObject({ ok: true, moveToCurrent: false });
    expect(decideStart(snap({ stage: "backlog", agentName: "o" }))).toMatchObject({ ok: true, moveToCurrent: false });
    expect(err(snap({ stage: "backlog", agentName: "q" })).moveToCurrent).toBe(false);
  });

  it("rule 3: agent stage must match story stage", () => {
    expect(err(snap({ stage: "qa", agentName: "c1" }))).toMatchObject({ rule: 3, error: { code: "PRECONDITION_FAILED" } });
    expect(err(snap({ stage: "merge", agentName: "q" })).rule).toBe(3);
    expect(err(snap({ stage: "current", agentName: "m" })).rule).toBe(3);
    expect(err(snap({ stage: "done" })).rule).toBe(3);
    expect(decideStart(snap({ stage: "merge", agentName: "m" })).ok).toBe(true);
    expect(decideStart(snap({ stage: "archived", agentName: "o" })).ok).toBe(true);
  });

  it("rule 4: pin honoured, busy pin queues, non-coder pin falls back, no free coder, no coder", () => {
    expect(decideStart(snap({ pin: "c2" }))).toMatchObject({ ok: true, agent: { name: "c2" } });
    expect(decideStart(snap({ pin: "big" }))).toMatchObject({ ok: true, agent: { name: "big" } });
    expect(err(snap({ pin: "c2", stage: "backlog", active: [act("c2", 1, "coder")] }))).toMatchObject({
      rule: 4,
      moveToCurrent: true,
      error: { code: "CONFLICT", message: "preferred agent c2 is busy; story queued in current and will be auto-assigned" },
    });
    expect(decideStart(snap({ pin: "q" }))).toMatchObject({ ok: true, agent: { name: "c1" } });
    expect(decideStart(snap({ active: [act("c1", 1, "coder")] }))).toMatchObject({ ok: true, agent: { name: "c2" } });
    expect(err(snap({ active: [act("c1", 1, "coder"), act("c2", 2, "coder"), act("big", 3, "coder")] })).error.message).toBe(
      "all coders busy; story queued (max_coders = 3 reached)",
    );
    expect(err(snap({ config: { max_coders: 3, default_coder_model: "sonnet" }, active: [act("c1", 1, "coder"), act("c2", 2, "coder")] })).error.message).toBe(
      "all coders busy; story queued",
    );
    expect(err(snap({ roster: roster.filter((a) => a.stage !== "coder") })).error.message).toMatch(/^no coder agent configured/);
    const throttled = roster.map((a) => (a.name === "c1" ? { ...a, throttledUntil: new Date(Date.now() + 60_000) } : a));
    expect(decideStart(snap({ roster: throttled }))).toMatchObject({ ok: true, agent: { name: "c2" } });
  });

  it("rule 5: the same agent already on the story", () => {
    expect(err(snap({ agentName: "o", active: [act("o", 7, "other", "pending")] }))).toMatchObject({
      rule: 5,
      error: { message: "o is already pending on story 7" },
    });
  });

  it("rule 6: another agent of the same stage on the story; other is exempt", () => {
    expect(err(snap({ agentName: "c2", active: [act("c1", 7, "coder")] }))).toMatchObject({ rule: 6, error: { code: "CONFLICT" } });
    expect(err(snap({ active: [act("c1", 7, "coder")] })).rule).toBe(6);
    expect(decideStart(snap({ agentName: "o", active: [act("c1", 7, "coder"), act("x", 7, "other")] })).ok).toBe(true);
  });

  it("rule 7: a named agent busy elsewhere: refused, story waits with the pin", () => {
    expect(err(snap({ stage: "backlog", agentName: "c1", active: [act("c1", 3, "coder")] }))).toMatchObject({
      rule: 7,
      moveToCurrent: true,
      pin: "c1",
      error: { code: "CONFLICT", message: "c1 is busy on story 3; story 7 will be picked up when the agent becomes available" },
    });
  });
});
