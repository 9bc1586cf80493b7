// The webhook body, schema version 1 (documented in the README): stable field names, snake_case,
// every field always present (null when it does not apply).
import type { NotificationEvent } from "./events.ts";

export const NOTIFICATION_SCHEMA_VERSION = 1;

/** What is stored with the outbox row: everything but the link, whose base is known where it is sent. */
export interface StoredNotification {
  event: NotificationEvent;
  occurred_at: string;
  project: { id: number; name: string };
  story: { number: number; title: string; path: string } | null;
  agent: string | null;
  reason: string;
  details: Record<string, string | number | null>;
}

export interface NotificationBody {
  version: typeof NOTIFICATION_SCHEMA_VERSION;
  /** The notification's id: the same for every receiver and every redelivery. */
  id: string;
  event: NotificationEvent;
  occurred_at: string;
  project: { id: number; name: string };
  story: { number: number; title: string; url: string | null } | null;
  agent: string | null;
  reason: string;
  details: Record<string, string | number | null>;
  /** One line for people. */
  text: string;
}

const HEADLINES: Record<NotificationEvent, string> = {
  "story.review_needed": "needs review",
  "story.needs_input": "needs an answer",
  "story.blocked": "is blocked",
  "merge.failed": "failed to merge",
  "story.done": "is done",
  "limit.hit": "hit a limit",
  "runner.lost": "lost its runner",
  "config.error": "has a config error",
};

/** "drover #4 Fix login is blocked: retries exhausted" */
export function headline(n: Pick<StoredNotification, "event" | "project" | "story">): string {
  const subject = n.story ? `${n.project.name} #${n.story.number} ${n.story.title}` : `Project ${n.project.name}`;
  return `${subject} ${HEADLINES[n.event]}`;
}

/** The body as sent: the stored notification with its id, links made absolute (when the public URL is known) and its text. */
export function notificationBody(id: string, n: StoredNotification, publicUrl: string | undefined): NotificationBody {
  const base = publicUrl?.replace(/\/+$/, "");
  return {
    version: NOTIFICATION_SCHEMA_VERSION,
    id,
    event: n.event,
    occurred_at: n.occurred_at,
    project: n.project,
    story: n.story ? { number: n.story.number, title: n.story.title, url: base ? `${base}${n.story.path}` : null } : null,
    agent: n.agent,
    reason: n.reason,
    details: n.details,
    text: `${headline(n)}: ${n.reason}`,
  };
}
