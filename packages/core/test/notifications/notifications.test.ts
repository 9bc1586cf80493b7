// Which activity entries announce what, the signature's replay window, and the retry schedule.
import { describe, expect, it } from "vitest";
import { announcementsFor, type RecordedChange } from "../../src/notifications/events.ts";
import { nextAttemptAt } from "../../src/notifications/retry.ts";
import { signatureHeader, verifySignature } from "../../src/notifications/signature.ts";

const story = { number: 4, title: "Fix login", blockedReason: null, mergeFailure: null, reviewHold: false, stage: "current" };
const change = (over: Partial<RecordedChange>): RecordedChange => ({ kind: "", message: "m", payload: null, agentName: null, story, ...over });

describe("announcementsFor", () => {
  it("maps the entries a person must act on, with their reason, and nothing else", () => {
    expect(announcementsFor(change({ kind: "story_blocked", story: { ...story, blockedReason: "retries exhausted" } }))).toEqual([
      { event: "story.blocked", reason: "retries exhausted", details: {} },
    ]);
    expect(announcementsFor(change({ kind: "story_blocked", story: { ...story, blockedReason: "budget: $2 of $1" } })).map((a) => a.event)).toEqual([
      "story.blocked",
      "limit.hit",
    ]);
    expect(announcementsFor(change({ kind: "merged", payload: { commit: "abc123" } }))).toEqual([
      { event: "story.done", reason: "m", details: { commit: "abc123" } },
    ]);
    expect(announcementsFor(change({ kind: "agent_throttled", payload: { until: "2026-12-01T07:00:00.000Z" } }))[0]!.details).toEqual({
      limit: "rate",
      resets_at: "2026-12-01T07:00:00.000Z",
    });
    expect(announcementsFor(change({ kind: "pipeline_advanced", story: { ...story, reviewHold: true, stage: "qa" } }))[0]!.event).toBe("story.review_needed");
    expect(announcementsFor(change({ kind: "pipeline_advanced" }))).toEqual([]);
    expect(announcementsFor(change({ kind: "story_needs_input", story: { ...story, inputQuestion: "Which API version?" } }))).toEqual([
      { event: "story.needs_input", reason: "Which API version?", details: {} },
    ]);
    expect(announcementsFor(change({ kind: "session_interrupted", payload: { reason: "runner_lost" } }))[0]!.event).toBe("runner.lost");
    expect(announcementsFor(change({ kind: "session_interrupted", payload: { reason: "user_stop" } }))).toEqual([]);
    for (const kind of ["story_moved", "story_created", "agent_started", "story_retry"]) expect(announcementsFor(change({ kind }))).toEqual([]);
  });
});

describe("signature", () => {
  it("verifies the body it signed, refuses another body, another secret, and a timestamp outside the window", () => {
    const now = 1_800_000_000;
    const h = signatureHeader("whsec_a", '{"a":1}', now);
    expect(h).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature("whsec_a", '{"a":1}', h, now + 10)).toBe(true);
    expect(verifySignature("whsec_a", '{"a":2}', h, now)).toBe(false);
    expect(verifySignature("whsec_b", '{"a":1}', h, now)).toBe(false);
    expect(verifySignature("whsec_a", '{"a":1}', h, now + 301)).toBe(false);
  });
});

describe("nextAttemptAt", () => {
  const policy = { baseMs: 1_000, maxMs: 8_000, retryForMs: 60_000 };
  const t0 = new Date(0);
  it("doubles up to the cap, with jitter between half and all of it, and gives up after the period", () => {
    expect(nextAttemptAt(policy, 1, t0, t0, () => 0)!.getTime()).toBe(500);
    expect(nextAttemptAt(policy, 1, t0, t0, () => 1)!.getTime()).toBe(1_000);
    expect(nextAttemptAt(policy, 3, t0, t0, () => 1)!.getTime()).toBe(4_000);
    expect(nextAttemptAt(policy, 10, t0, t0, () => 1)!.getTime()).toBe(8_000);
    expect(nextAttemptAt(policy, 2, t0, new Date(59_000), () => 1)).toBeNull();
  });
});
