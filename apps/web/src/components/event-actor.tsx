// Who made a change, as the activity feed and the story page show it: "Ana", "auto-assign",
// "runner r1", "root@host (command line)".
const TONE: Record<string, string> = {
  user: "text-indigo-700",
  token: "text-indigo-700",
  cli: "text-emerald-700",
  runner: "text-slate-600",
  automation: "text-amber-700",
};

export function EventActor({ kind, name }: { kind: string; name: string }) {
  return (
    <span data-testid="event-actor" data-actor-kind={kind} className={`mr-1 font-semibold ${TONE[kind] ?? "text-slate-500"}`}>
      {name}
    </span>
  );
}
