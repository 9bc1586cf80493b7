"use client";
// Runners: heartbeat age, capacity, what each can run (runtimes, versions, credential status) and the sessions each one runs.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Suspense } from "react";
import { fmtDuration } from "@/components/glyph";
import { DataTable } from "@/components/data-table";
import { RunnerRuntimes } from "./runner-runtimes";
import { Nav, useProjectId } from "@/components/nav";
import { useLiveProject } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";

function Runners() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  // Heartbeats do not notify: poll, gently.
  const runners = useQuery({ ...trpc.views.runners.queryOptions(), refetchInterval: 5_000 });
  useLiveProject(null);
  return (
    <>
      <Nav projectId={projectId} />
      <main className="mx-auto max-w-5xl p-4">
        <h1 className="mb-3 text-xl font-semibold">Runners</h1>
        {runners.data?.length === 0 && (
          <p className="text-slate-500">
            No runner has started yet. Start one with <code>pnpm drover runner</code>.
          </p>
        )}
        <DataTable headers={["Runner", "Host / pid", "Heartbeat", "Capacity", "Runtimes", "Running"]} testId="runners">
          {runners.data?.map((r) => (
            <tr key={r.id} className={`border-t align-top ${r.stoppedAt ? "text-slate-400" : ""}`}>
              <td className="p-2 font-mono text-xs">{r.id}</td>
              <td>
                {r.host} / {r.pid}
              </td>
              <td className={!r.stoppedAt && r.heartbeatAgeMs > 30_000 ? "text-red-700" : ""}>
                {r.stoppedAt ? `stopped ${new Date(r.stoppedAt).toLocaleString()}` : `${fmtDuration(r.heartbeatAgeMs)} ago`}
              </td>
              <td>
                {r.sessions.length}/{r.capacity}
              </td>
              <td>
                <RunnerRuntimes capabilities={r.capabilities} />
              </td>
              <td>
                {r.sessions.map((s) => (
                  <div key={s.id}>
                    <Link className="underline" href={`/sessions/${s.id}`}>
                      {s.agentName} on #{s.story.number}
                    </Link>{" "}
                    ({s.status})
                  </div>
                ))}
              </td>
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
      <Runners />
    </Suspense>
  );
}
