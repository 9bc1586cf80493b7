// One activity event as the feed and the story page show it: who made the change ("Ana",
// "auto-assign", "runner r1", "root@host (command line)"), what happened, and its session's log.
import Link from "next/link";
import type { ReactNode } from "react";

const TONE: Record<string, string> = {
  user: "text-indigo-700",
  token: "text-indigo-700",
  cli: "text-emerald-700",
  runner: "text-slate-600",
  automation: "text-amber-700",
};

interface EventFields {
  actorKind: string;
  actorName: string;
  message: string;
  sessionId: number | null;
}

/** `children` go between the actor and the message (the feed's story link and agent). */
export function EventText({ event: e, children }: { event: EventFields; children?: ReactNode }) {
  return (
    <span className="min-w-0 flex-1 break-words">
      <span data-testid="event-actor" data-actor-kind={e.actorKind} className={`mr-1 font-semibold ${TONE[e.actorKind] ?? "text-slate-500"}`}>
        {e.actorName}
      </span>
      {children}
      {e.message}
      {e.sessionId && (
        <Link className="ml-1 text-xs underline" href={`/sessions/${e.sessionId}`}>
          log
        </Link>
      )}
    </span>
  );
}
