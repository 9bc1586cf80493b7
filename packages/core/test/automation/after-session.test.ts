import { describe, expect, it } from "vitest";
import { decideAfterSession, MAX_CRASH_RESTARTS, retryDelayMs, type AfterSessionInput } from "../../src/automation/after-session.ts";
import { resolveQaMode } from "../../src/automation/qa-mode.ts";
import { judgeExit } from "../../src/automation/exit-judgement.ts";
import { failureKind } from "../../src/automation/failure-kind.ts";

const now = new Date("2026-11-24T00:00:00Z");
function input(over: {
  session?: Partial<AfterSessionInput["session"]>;
  story?: Partial<AfterSessionInput["story"]>;
  settings?: Partial<AfterSessionInput["settings"]>;
  priorCrashes?: number;
}): AfterSessionInput {
  return {
    session: { agentStage: "coder", status: "completed", ...over.session },
    story: { stage: "current", kind: "story", qa: null, retryCount: 0, blocked: false, ...over.story },
    settings: { defaultQa: "server", maxRetries: 2, maxCoders: 3, ...over.settings },
    priorCrashes: over.priorCrashes ?? 0,
    priorBackoffs: 0,
    now,
  };
}

describe("QA mode", () => {
  it("story qa wins over default_qa; spikes are always human", () => {
    expect(resolveQaMode({ kind: "story", qa: "agent" }, "server")).toBe("agent");
    expect(resolveQaMode({ kind: "bug", qa: null }, "human")).toBe("human");
    expect(resolveQaMode({ kind: "spike", qa: "server" }, "server")).toBe("human");
  });
});

describe("advancing after a pass", () => {
  it("coder pass with server QA goes straight to merge", () => {
    expect(decideAfterSession(input({}))).toMatchObject({ action: "advance", to: "merge" });
  });
  it("coder pass with agent QA goes to qa without a hold (auto-assign starts the QA agent)", () => {
    const d = decideAfterSession(input({ story: { qa: "agent" } }));
    expect(d).toMatchObject({ action: "advance", to: "qa" });
    expect(d).not.toHaveProperty("reviewHold", true);
  });
  it("coder pass with human QA goes to qa with review_hold", () => {
    expect(decideAfterSession(input({ settings: { defaultQa: "human" } }))).toMatchObject({ action: "advance", to: "qa", reviewHold: true });
  });
  it("a spike never auto-merges, even with server QA", () => {
    expect(decideAfterSession(input({ story: { kind: "spike", qa: "server" } }))).toMatchObject({ action: "advance", to: "qa", reviewHold: true });
    // and a QA agent passing a spike holds it for a person instead of merging
    expect(decideAfterSession(input({ session: { agentStage: "qa" }, story: { kind: "spike", stage: "qa", qa: "agent" } }))).toMatchObject({
      action: "hold_for_review",
    });
  });
  it("QA agent pass goes to merge; mergemaster pass finishes the merge", () => {
    expect(decideAfterSession(input({ session: { agentStage: "qa" }, story: { stage: "qa", qa: "agent" } }))).toMatchObject({ action: "advance", to: "merge" });
    expect(decideAfterSession(input({ session: { agentStage: "mergemaster" }, story: { stage: "merge" } }))).toMatchObject({ action: "finish_merge" });
  });
  it("a verdict for a story that moved on is ignored (no double advance, no QA on a merged story)", () => {
    expect(decideAfterSession(input({ story: { stage: "qa" } }))).toMatchObject({ action: "none" });
    expect(decideAfterSession(input({ session: { agentStage: "qa" }, story: { stage: "done" } }))).toMatchObject({ action: "none" });
  });
  it("the role comes from the agent's stage, not its name", () => {
    // an agent named "qa-bot" whose stage is coder is judged as a coder
    const d = decideAfterSession(input({ session: { agentStage: "coder" }, story: { stage: "current" } }));
    expect(d).toMatchObject({ action: "advance" });
    expect(decideAfterSession(input({ session: { agentStage: "other" } }))).toMatchObject({ action: "none" });
  });
});

describe("retries and blocking", () => {
  it("a gate failure retries with the failure output and counts", () => {
    const d = decideAfterSession(input({ session: { status: "failed", reason: "gate_failed", failureOutput: "FAIL: test_x" }, story: { retryCount: 1 } }));
    // the second retry waits (see the schedule below)
    expect(d).toEqual({ action: "retry", retryCount: 2, notBefore: new Date(now.getTime() + 10_000), message: "FAIL: test_x", why: expect.any(String) });
  });
  it("the first retry goes at once; later ones back off exponentially up to a cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 50].map((n) => retryDelayMs(n) / 1000)).toEqual([0, 10, 20, 40, 80, 160, 320, 600, 600, 600]);
    const first = decideAfterSession(input({ session: { status: "failed", reason: "uncommitted_changes" }, story: { retryCount: 0 } }));
    expect(first).toMatchObject({ action: "retry", retryCount: 1 });
    expect(first).not.toHaveProperty("notBefore");
  });
  it("with max_retries 0 (no limit) retries still back off: the 45th waits the cap", () => {
    const d = decideAfterSession(
      input({ session: { status: "failed", reason: "uncommitted_changes" }, story: { retryCount: 44 }, settings: { maxRetries: 0 } }),
    );
    expect(d).toMatchObject({ action: "retry", retryCount: 45, notBefore: new Date(now.getTime() + 10 * 60_000) });
  });
  it("beyond max_retries the story is blocked with the reason", () => {
    const d = decideAfterSession(
      input({ session: { status: "failed", reason: "gate_failed", message: "gate script/test exited 1" }, story: { retryCount: 2 } }),
    );
    expect(d.action).toBe("block");
    expect(d.action === "block" && d.reason).toContain("gate_failed after 2 retries");
  });
  it("max_retries 0 means no limit", () => {
    expect(
      decideAfterSession(input({ session: { status: "failed", reason: "gate_failed" }, story: { retryCount: 50 }, settings: { maxRetries: 0 } })),
    ).toMatchObject({ action: "retry", retryCount: 51 });
  });
  it("crashes unrelated to the work never spend retries, and are bounded", () => {
    const d = decideAfterSession(input({ session: { status: "failed", reason: "zero_turns" }, story: { retryCount: 2 } }));
    expect(d.action).toBe("restart_later");
    const blocked = decideAfterSession(input({ session: { status: "failed", reason: "api_error" }, priorCrashes: MAX_CRASH_RESTARTS }));
    expect(blocked.action).toBe("block");
    expect(blocked.action === "block" && blocked.reason).toContain("unrelated to the work");
  });
  it("environment failures block at once without touching retries", () => {
    const d = decideAfterSession(input({ session: { status: "failed", reason: "spawn_error", message: "claude not found" } }));
    expect(d).toMatchObject({ action: "block" });
    expect(d.action === "block" && d.reason).toContain("claude not found");
  });
  it("a rate limit restarts at the reset time, never counts as success or a retry", () => {
    const d = decideAfterSession(
      input({
        session: { agentStage: "mergemaster", status: "failed", reason: "rate_limited", rateLimitResetsAt: "2026-11-24T01:00:00Z" },
        story: { stage: "merge" },
      }),
    );
    expect(d.action).toBe("restart_later");
    expect(d.action === "restart_later" && d.notBefore.toISOString()).toBe("2026-11-24T01:00:05.000Z");
  });
  it("user stops and interrupted sessions do nothing here", () => {
    expect(decideAfterSession(input({ session: { status: "stopped", reason: "user_stop" } }))).toMatchObject({ action: "none" });
    expect(decideAfterSession(input({ session: { status: "interrupted", reason: "runner_lost" } }))).toMatchObject({ action: "none" });
  });
  it("failure kinds", () => {
    expect(failureKind("failed", "gate_failed")).toBe("work");
    expect(failureKind("failed", "uncommitted_changes")).toBe("work");
    expect(failureKind("failed", "exit_code")).toBe("crash");
    expect(failureKind("failed", "setup_failed")).toBe("environment");
    expect(failureKind("completed", null)).toBeNull();
  });
});

describe("exit judgement", () => {
  it("zero turns or an error result fail whatever the exit code", () => {
    expect(judgeExit({ exitCode: 0, turns: 0, result: { outcome: "success", turns: 0 } })).toMatchObject({ ok: false, reason: "zero_turns" });
    expect(judgeExit({ exitCode: 0, turns: 3, result: { outcome: "api_error", isError: true, errorText: "overloaded" } })).toMatchObject({
      ok: false,
      reason: "api_error",
      message: "overloaded",
    });
    expect(judgeExit({ exitCode: 0, turns: 3, result: { outcome: "success", isError: true } })).toMatchObject({ ok: false });
  });
  it("a hard rate limit is rate_limited even with exit 0", () => {
    expect(judgeExit({ exitCode: 0, turns: 2, hardRateLimit: { resetsAt: 1 } })).toMatchObject({ ok: false, reason: "rate_limited" });
  });
  it("a clean run passes; a bad exit code fails", () => {
    expect(judgeExit({ exitCode: 0, turns: 2, result: { outcome: "success" } })).toEqual({ ok: true });
    expect(judgeExit({ exitCode: 3, turns: 2 })).toMatchObject({ ok: false, reason: "exit_code" });
    expect(judgeExit({ exitCode: 0, reportsTurns: false })).toEqual({ ok: true });
  });
});
