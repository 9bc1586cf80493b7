"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc";

const STAGES = ["backlog", "current", "qa", "merge", "done"] as const;

export default function BoardPage() {
  const trpc = useTRPC();
  const projects = useQuery(trpc.board.projects.queryOptions());
  const [selected, setSelected] = useState<number | undefined>();
  const projectId = selected ?? projects.data?.[0]?.id;
  const stories = useQuery({ ...trpc.board.stories.queryOptions({ projectId: projectId ?? 0 }), enabled: !!projectId });
  return (
    <main className="p-4">
      <header className="mb-4 flex items-center gap-4">
        <h1 className="text-xl font-semibold">Drover</h1>
        <select
          aria-label="Project"
          className="rounded border px-2 py-1"
          value={projectId ?? ""}
          onChange={(e) => setSelected(Number(e.target.value))}
        >
          {projects.data?.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
              {p.isDemo ? " (demo)" : ""}
            </option>
          ))}
        </select>
      </header>
      <div className="grid grid-cols-5 gap-3">
        {STAGES.map((stage) => (
          <section key={stage} data-testid={`column-${stage}`} className="rounded bg-slate-100 p-2">
            <h2 className="mb-2 text-sm font-semibold uppercase text-slate-500">{stage}</h2>
            {stories.data
              ?.filter((s) => s.stage === stage)
              .map((s) => (
                <article key={s.id} data-testid={`card-${s.number}`} className="mb-2 rounded bg-white p-2 shadow-sm">
                  <span className="text-xs text-slate-500">#{s.number}</span> {s.title}
                </article>
              ))}
          </section>
        ))}
      </div>
    </main>
  );
}
