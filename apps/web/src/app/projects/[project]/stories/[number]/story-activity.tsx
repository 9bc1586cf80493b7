// The story's recent activity with who made each change.
import { EventText } from "@/components/event-text";

interface StoryEvent {
  id: bigint;
  at: Date;
  kind: string;
  message: string;
  sessionId: number | null;
  actorKind: string;
  actorName: string;
}

export function StoryActivity({ events }: { events: StoryEvent[] }) {
  return (
    <section className="mt-4 rounded border bg-white p-4">
      <h2 className="mb-2 font-semibold">Activity</h2>
      {events.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing has happened yet.</p>
      ) : (
        <ol className="space-y-1 text-sm" data-testid="story-activity">
          {events.map((e) => (
            <li key={String(e.id)} className="flex gap-3">
              <time className="w-40 shrink-0 text-xs text-slate-500">{new Date(e.at).toLocaleString()}</time>
              <EventText event={e} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
