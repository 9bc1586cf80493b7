// What Drover announces: the stable event names of notification schema v1, and which activity-feed
// entries (project_events) become which announcement. Pure: the database side supplies the story.

export const NOTIFICATION_EVENTS = [
  "story.review_needed",
  "story.needs_input",
  "story.blocked",
  "merge.failed",
  "story.done",
  "limit.hit",
  "runner.lost",
  "config.error",
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** Shown in the settings page next to each event's checkbox. */
export const NOTIFICATION_EVENT_LABELS: Record<NotificationEvent, string> = {
  "story.review_needed": "Needs human review (QA hold)",
  "story.needs_input": "Needs input (an agent asked a question)",
  "story.blocked": "Story blocked",
  "merge.failed": "Merge failed",
  "story.done": "Done (merged)",
  "limit.hit": "Budget or rate limit hit",
  "runner.lost": "Runner lost",
  "config.error": "Config error on reload",
};

/** Activity kinds that may announce something: the cheap test before any database read. */
const ANNOUNCING_KINDS = new Set([
  "review_hold",
  "story_needs_input",
  "pipeline_advanced",
  "story_blocked",
  "merge_failed",
  "merged",
  "agent_throttled",
  "session_interrupted",
  "config_error",
]);

export function mayAnnounce(kind: string): boolean {
  return ANNOUNCING_KINDS.has(kind);
}

export interface RecordedChange {
  kind: string;
  message: string;
  payload: unknown;
  agentName: string | null;
  /** The story as it is after the change (null for project-wide entries). */
  story: {
    number: number;
    title: string;
    blockedReason: string | null;
    mergeFailure: string | null;
    reviewHold: boolean;
    stage: string;
    inputQuestion?: string | null;
  } | null;
}

export interface Announcement {
  event: NotificationEvent;
  /** Why, in a person's words. */
  reason: string;
  /** Event-specific facts: commit, limit, resets_at ... (snake_case, part of the schema). */
  details: Record<string, string | number | null>;
}

const obj = (p: unknown): Record<string, unknown> => (p && typeof p === "object" && !Array.isArray(p) ? (p as Record<string, unknown>) : {});
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** The announcements one activity entry makes (usually none or one). */
export function announcementsFor(c: RecordedChange): Announcement[] {
  const p = obj(c.payload);
  switch (c.kind) {
    case "review_hold":
      return [{ event: "story.review_needed", reason: c.message, details: {} }];
    case "pipeline_advanced":
      // Advanced into qa with a hold: a person must approve or reject.
      return c.story?.reviewHold ? [{ event: "story.review_needed", reason: c.message, details: { stage: c.story.stage } }] : [];
    case "story_needs_input":
      return [{ event: "story.needs_input", reason: c.story?.inputQuestion ?? c.message, details: {} }];
    case "story_blocked": {
      const reason = c.story?.blockedReason ?? c.message;
      const blocked: Announcement = { event: "story.blocked", reason, details: {} };
      return reason.startsWith("budget:") ? [blocked, { event: "limit.hit", reason, details: { limit: "budget", resets_at: null } }] : [blocked];
    }
    case "merge_failed":
      return [{ event: "merge.failed", reason: c.story?.mergeFailure ?? c.message, details: {} }];
    case "merged":
      return [{ event: "story.done", reason: c.message, details: { commit: str(p.commit) } }];
    case "agent_throttled":
      return [{ event: "limit.hit", reason: c.message, details: { limit: "rate", resets_at: str(p.until) } }];
    case "session_interrupted":
      return p.reason === "runner_lost" ? [{ event: "runner.lost", reason: c.message, details: {} }] : [];
    case "config_error":
      return [{ event: "config.error", reason: c.message, details: {} }];
    default:
      return [];
  }
}
