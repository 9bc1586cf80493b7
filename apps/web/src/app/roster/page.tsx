"use client";
// The roster: every agent, who is busy, and where.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Suspense } from "react";
import { StatusGlyph } from "@/components/glyph";
import { DataTable } from "@/components/data-table";
import { Nav, useProjectId } from "@/components/nav";
import { useLiveProject } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";

function Roster() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const agents = useQuery({ ...trpc.views.agents.queryOptions({ projectId: projectId ?? 0 }), enabled: !!projectId });
  useLiveProject(projectId);
  return (
    <>
      <Nav projectId={projectId} />
      <main className="mx-auto max-w-5xl p-4">
        <h1 className="mb-3 text-xl font-semibold">Roster</h1>
        <DataTable headers={["Agent", "Stage", "Runtime", "Model", "Status", "Working on", "Sessions"]} testId="roster">
          {agents.data?.map((a) => (
            <tr key={a.id} className={`border-t ${a.enabled ? "" : "text-slate-400"}`}>
              <td className="p-2">
                <Link className="underline" href={`/agents/${a.id}`}>
                  {a.name}
                </Link>
              </td>
              <td>{a.stage}</td>
              <td>{a.runtime}</td>
              <td>{a.model ?? "–"}</td>
              <td>
                <StatusGlyph status={a.status} /> {a.status}
                {a.enabled ? "" : " (removed)"}
              </td>
              <td>
                {a.active ? (
                  <Link className="underline" href={`/sessions/${a.active.id}`}>
                    #{a.active.story.number} {a.active.story.title} ({a.active.story.stage})
                  </Link>
                ) : (
                  "–"
                )}
              </td>
              <td>{a.sessionCount}</td>
            </tr>
          ))}
        </DataTable>
      </main>
    </>
  );
}

export default function Page() {
  return (
    <Suspense>
      <Roster />
    </Suspense>
  );
}
