import { describe, expect, it } from "vitest";
import { findConflictMarkers, verifyMerge, type MergeFacts } from "../../src/automation/merge-verify.ts";
import { scheduleRateLimitRestart, parseResetTime } from "../../src/automation/rate-limit.ts";
import { agentOverBudget } from "../../src/automation/budget.ts";

const good: MergeFacts = {
  baseBranch: "main",
  baseBefore: "a".repeat(40),
  baseAfter: "b".repeat(40),
  baseMovedForward: true,
  changedFiles: ["src/x.ts"],
  conflictMarkers: [],
  mainCheckoutBranch: "main",
};

describe("merge verification", () => {
  it("passes only when every check holds", () => {
    expect(verifyMerge(good)).toEqual({ ok: true });
    expect(verifyMerge({ ...good, baseAfter: good.baseBefore })).toMatchObject({ ok: false, reason: expect.stringContaining("did not move") });
    expect(verifyMerge({ ...good, changedFiles: [] })).toMatchObject({ ok: false, reason: expect.stringContaining("no change") });
    expect(verifyMerge({ ...good, baseMovedForward: false })).toMatchObject({ ok: false });
    expect(verifyMerge({ ...good, conflictMarkers: ["a.txt:3"] })).toMatchObject({ ok: false, reason: expect.stringContaining("a.txt:3") });
    expect(verifyMerge({ ...good, mainCheckoutBranch: "merge-queue/4" })).toMatchObject({ ok: false, reason: expect.stringContaining("merge-queue/4") });
  });
  it("finds conflict markers among added lines only", () => {
    const diff = [
      "diff --git a/a.txt b/a.txt",
      "--- a/a.txt",
      "+++ b/a.txt",
      "@@ -1,2 +1,6 @@",
      " keep",
      "+<<<<<<< HEAD",
      "+ours",
      "+=======",
      "+theirs",
      "+>>>>>>> branch",
      "-<<<<<<< removed is fine",
    ].join("\n");
    expect(findConflictMarkers(diff)).toEqual(["a.txt:2", "a.txt:4", "a.txt:6"]);
    expect(findConflictMarkers("+++ b/x\n@@ -0,0 +1 @@\n+a ======= b\n")).toEqual([]);
  });
});

describe("rate-limit scheduling", () => {
  const now = new Date("2026-11-24T00:00:00Z");
  it("uses the reset time plus a margin, else backs off exponentially", () => {
    expect(scheduleRateLimitRestart("2026-11-24T00:10:00Z", now, 0)).toEqual({ notBefore: new Date("2026-11-24T00:10:05Z"), source: "reset_time" });
    expect(scheduleRateLimitRestart(undefined, now, 0).notBefore.getTime() - now.getTime()).toBe(60_000);
    expect(scheduleRateLimitRestart(undefined, now, 3).notBefore.getTime() - now.getTime()).toBe(480_000);
    expect(scheduleRateLimitRestart(undefined, now, 30).notBefore.getTime() - now.getTime()).toBe(30 * 60_000);
    // a reset time already past backs off instead of restarting in a hot loop
    expect(scheduleRateLimitRestart("2026-11-23T23:00:00Z", now, 0).source).toBe("backoff");
  });
  it("parses epoch seconds and ms", () => {
    expect(parseResetTime(1_790_000_000)?.toISOString()).toBe(new Date(1_790_000_000_000).toISOString());
    expect(parseResetTime("1790000000000")?.getTime()).toBe(1_790_000_000_000);
    expect(parseResetTime("garbage")).toBeUndefined();
  });
  it("per-agent budget", () => {
    expect(agentOverBudget(1.0, 1.0)).toBe(true);
    expect(agentOverBudget(0.99, 1.0)).toBe(false);
    expect(agentOverBudget(5, null)).toBe(false);
  });
});
