// What happens after a session ends: the one place that decides advance / retry / block /
// reschedule / merge. Pure; the runner applies the decision with conditional writes.
import { failureKind } from "./failure-kind.ts";
import { resolveQaMode } from "./qa-mode.ts";
import { backoffMs, scheduleRateLimitRestart } from "./rate-limit.ts";
import { WORKER_STAGE, type AgentStage, type PipelineSettings, type QaMode, type StoryKind, type StoryStage } from "./types.ts";

/** Consecutive crash restarts allowed before a story is blocked (they never spend `max_retries`). */
export const MAX_CRASH_RESTARTS = 3;

const RETRY_BACKOFF_BASE_MS = 10_000;
const RETRY_BACKOFF_MAX_MS = 10 * 60_000;

/**
 * How long work retry number `n` (1-based) waits before it may be claimed: the first goes at once
 * (the failure output is usually all the agent needs), later ones wait 10 s, 20 s, 40 s ... up to
 * 10 min, so an agent that fails the same way (with max_retries = 0, forever) cannot spin.
 */
export function retryDelayMs(n: number): number {
  return n <= 1 ? 0 : backoffMs(n - 2, RETRY_BACKOFF_BASE_MS, RETRY_BACKOFF_MAX_MS);
}

export interface AfterSessionInput {
  session: {
    agentStage: AgentStage;
    status: "completed" | "failed" | "stopped" | "interrupted";
    reason?: string | null;
    message?: string | null;
    /** Gate output / failure text to send back to the agent on a retry. */
    failureOutput?: string | null;
    /** Reset time of a hard rate limit, when the runtime gave one. */
    rateLimitResetsAt?: string | number | null;
  };
  story: {
    stage: StoryStage;
    kind: StoryKind;
    qa?: QaMode | null;
    retryCount: number;
    blocked: boolean;
  };
  settings: PipelineSettings;
  /** Consecutive sessions on this story and stage that ended as crashes or rate limits, before this one. */
  priorCrashes: number;
  priorBackoffs: number;
  now: Date;
}

export type AfterSessionDecision =
  | { action: "none"; why: string }
  | { action: "advance"; to: "qa" | "merge"; reviewHold?: boolean; why: string }
  | { action: "hold_for_review"; why: string }
  | { action: "finish_merge"; why: string }
  | { action: "retry"; retryCount: number; notBefore?: Date; message: string; why: string }
  | { action: "restart_later"; notBefore: Date; message: string; why: string }
  | { action: "block"; reason: string; why: string };

export function decideAfterSession(input: AfterSessionInput): AfterSessionDecision {
  const { session, story, settings } = input;
  if (session.agentStage === "other") return { action: "none", why: "`other` agents do not drive the pipeline" };
  if (story.blocked) return { action: "none", why: "story is blocked" };
  // The story moved on (by hand or by another runner): this session's verdict no longer applies.
  if (WORKER_STAGE[story.stage] !== session.agentStage) {
    return { action: "none", why: `story is in ${story.stage}, not the ${session.agentStage} stage any more` };
  }

  const kind = failureKind(session.status, session.reason);
  if (kind === null) return onPass(input);
  switch (kind) {
    case "stopped":
      return { action: "none", why: "stopped by a person" };
    case "interrupted":
      return { action: "none", why: "interrupted; auto-assign resumes it" };
    case "rate_limited": {
      const { notBefore, source } = scheduleRateLimitRestart(session.rateLimitResetsAt, input.now, input.priorBackoffs);
      return {
        action: "restart_later",
        notBefore,
        message: session.failureOutput ?? "You were rate limited; continue where you left off.",
        why: source === "reset_time" ? "rate limited until the runtime's reset time" : "rate limited; backing off",
      };
    }
    case "environment":
      return {
        action: "block",
        reason: `${session.reason}: ${session.message ?? "the agent could not run"} (fix the environment or config, then unblock)`,
        why: "environment failure: retrying cannot help and must not spend retries",
      };
    case "crash": {
      if (input.priorCrashes >= MAX_CRASH_RESTARTS) {
        return {
          action: "block",
          reason: `agent crashed ${input.priorCrashes + 1} times in a row (${session.reason}: ${session.message ?? "no detail"}); unrelated to the work, retries untouched`,
          why: "too many crashes",
        };
      }
      return {
        action: "restart_later",
        notBefore: new Date(input.now.getTime() + backoffMs(input.priorCrashes, 10_000, 5 * 60_000)),
        message: session.failureOutput ?? "Your previous run ended unexpectedly; continue the work.",
        why: "crash unrelated to the work: restart with backoff, retries untouched",
      };
    }
    case "work": {
      const limit = settings.maxRetries;
      const failure = session.failureOutput ?? session.message ?? session.reason ?? "failed";
      if (limit > 0 && story.retryCount >= limit) {
        return {
          action: "block",
          reason: `${session.reason} after ${story.retryCount} retries (max_retries ${limit}): ${truncate(session.message ?? failure, 500)}`,
          why: "retries exhausted",
        };
      }
      const retryCount = story.retryCount + 1;
      const delay = retryDelayMs(retryCount);
      return {
        action: "retry",
        retryCount,
        ...(delay > 0 ? { notBefore: new Date(input.now.getTime() + delay) } : {}),
        message: failure,
        why: `work failure: retry${delay > 0 ? ` in ${Math.round(delay / 1000)} s` : ""} with the failure output`,
      };
    }
  }
}

function onPass(input: AfterSessionInput): AfterSessionDecision {
  const { session, story, settings } = input;
  const qaMode = resolveQaMode(story, settings.defaultQa);
  if (session.agentStage === "coder") {
    if (qaMode === "server") return { action: "advance", to: "merge", why: "gates passed and QA is server" };
    if (qaMode === "agent") return { action: "advance", to: "qa", why: "gates passed; a QA agent reviews next" };
    return { action: "advance", to: "qa", reviewHold: true, why: story.kind === "spike" ? "spikes wait for a person" : "QA is human" };
  }
  if (session.agentStage === "qa") {
    if (qaMode === "human") return { action: "hold_for_review", why: story.kind === "spike" ? "spikes never auto-merge" : "QA is human" };
    return { action: "advance", to: "merge", why: "QA agent passed" };
  }
  return { action: "finish_merge", why: "mergemaster finished; gates passed in the merge worktree" };
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
