"use client";
// One agent: its roster entry, what it is doing now, and its sessions.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { Suspense } from "react";
import { fmtCost, fmtDuration, SessionStatus } from "@/components/glyph";
import { DataTable } from "@/components/data-table";
import { Nav } from "@/components/nav";
import { useLiveProject } from "@/lib/live";
import { storyHref } from "@/lib/story-href";
import { useTRPC } from "@/lib/trpc";

function AgentPage() {
  const { id } = useParams<{ id: string }>();
  const trpc = useTRPC();
  const agent = useQuery(trpc.views.agent.queryOptions({ agentId: Number(id) }));
  useLiveProject(agent.data?.projectId);
  if (agent.error) return <p className="p-6 text-red-700">{agent.error.message}</p>;
  if (!agent.data) return <p className="p-6">Loading…</p>;
  const a = agent.data;
  const current = a.sessions.find((s) => s.status === "pending" || s.status === "running");
  return (
    <>
      <Nav projectId={a.projectId} />
      <main className="mx-auto max-w-6xl space-y-4 p-4">
        <h1 className="text-2xl font-semibold">
          {a.name}{" "}
          <span className="text-base font-normal text-slate-500">
            {a.stage} · {a.runtime}
            {a.model ? ` · ${a.model}` : ""}
            {a.enabled ? "" : " · removed from roster"}
          </span>
        </h1>
        <p data-testid="agent-current">
          {current ? (
            <>
              {current.status} on{" "}
              <Link className="underline" href={storyHref(a.projectId, current.story.number)}>
                #{current.story.number} {current.story.title}
              </Link>{" "}
              —{" "}
              <Link className="underline" href={`/sessions/${current.id}`}>
                live log
              </Link>
            </>
          ) : (
            "○ idle"
          )}
          {a.throttledUntil && new Date(a.throttledUntil) > new Date() && (
            <span className="ml-2 text-amber-700">◑ throttled until {new Date(a.throttledUntil).toLocaleTimeString()}</span>
          )}
        </p>
        <details className="rounded border bg-white p-3" open>
          <summary className="cursor-pointer font-semibold">Roster entry</summary>
          <pre className="mt-2 overflow-x-auto text-xs">{JSON.stringify(a.config, null, 2)}</pre>
        </details>
        <DataTable headers={["Session", "Story", "Status", "Reason", "Duration", "Turns", "Cost"]} firstCellPadding="p-1">
          {a.sessions.map((s) => (
            <tr key={s.id} className="border-t">
              <td className="p-1">
                <Link className="underline" href={`/sessions/${s.id}`}>
                  {s.id}
                </Link>
              </td>
              <td>
                <Link className="underline" href={storyHref(a.projectId, s.story.number)}>
                  #{s.story.number} {s.story.title}
                </Link>
              </td>
              <td>
                <SessionStatus status={s.status} />
              </td>
              <td>{s.reason ?? ""}</td>
              <td>{fmtDuration(s.durationMs)}</td>
              <td>{s.turns}</td>
              <td>{fmtCost(s.costUsd)}</td>
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
      <AgentPage />
    </Suspense>
  );
}
