"use client";
// On the demo board: says that the demo's autopilot moves stories by itself while nobody uses it,
// and what it did last, so a newcomer can tell its promotions from a person's moves.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";

export function DemoAutopilotNote({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const events = useQuery(trpc.views.activity.queryOptions({ projectId, limit: 50 }));
  const last = events.data?.find((e) => e.kind === "demo_promoted");
  return (
    <p data-testid="demo-autopilot" className="mb-3 rounded border border-violet-200 bg-violet-50 px-3 py-2 text-sm text-violet-900">
      Demo autopilot: while the demo sits idle, it promotes a backlog story to current every so often so you can watch the pipeline work.
      {last ? <span data-testid="demo-autopilot-last"> Last: {last.message.replace(/^Demo autopilot: /, "")}</span> : " Nothing promoted yet."}
    </p>
  );
}
