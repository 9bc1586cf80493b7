import { describe, expect, it } from "vitest";
import { storyActions, type StoryState } from "../src/pipeline/story-actions.ts";

const state = (over: Partial<StoryState> = {}): StoryState => ({
  stage: "current",
  blocked: false,
  reviewHold: false,
  mergeFailure: null,
  retryCount: 0,
  ...over,
});
const idle = { activeSessions: 0, lastSessionFailed: false };

describe("story actions by state", () => {
  it("a done story can only be moved (not to done), nothing else", () => {
    expect(storyActions(state({ stage: "done" }), idle)).toEqual({
      start: false,
      review: false,
      retry: false,
      block: false,
      unblock: false,
      moveTo: ["backlog", "current", "qa", "merge", "archived"],
    });
  });

  it("review only while waiting for human review; retry only when stuck and idle; unblock only when blocked", () => {
    expect(storyActions(state({ stage: "qa", reviewHold: true }), idle)).toMatchObject({ review: true, retry: false });
    expect(storyActions(state({ stage: "qa" }), idle).review).toBe(false);
    expect(storyActions(state(), { activeSessions: 0, lastSessionFailed: true }).retry).toBe(true);
    expect(storyActions(state({ retryCount: 1 }), { activeSessions: 1, lastSessionFailed: false }).retry).toBe(false);
    expect(storyActions(state({ blocked: true }), idle)).toMatchObject({ start: false, block: false, unblock: true, retry: true });
    expect(storyActions(state({ stage: "backlog" }), idle)).toMatchObject({ start: true, retry: false, moveTo: ["current", "qa", "merge", "archived"] });
  });
});
