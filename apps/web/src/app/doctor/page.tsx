"use client";
// Doctor: the checks `drover doctor` runs for the project (git and identity, repository and base
// branch, each agent's runtime on the live runners, gates, worktree root, database), OK or what to do.
import { useQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import { Nav, useProjectId } from "@/components/nav";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";

const STYLE = { ok: "text-green-700", warn: "text-amber-700", fail: "text-red-700" } as const;
const MARK = { ok: "OK", warn: "WARN", fail: "FAIL" } as const;

function Doctor() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const report = useQuery({ ...trpc.onboarding.doctor.queryOptions({ projectId: projectId ?? 0 }), enabled: !!projectId });
  return (
    <>
      <Nav projectId={projectId} />
      <main className="mx-auto max-w-5xl space-y-3 p-4">
        <div className="flex items-center gap-3">
          <h1 className="text-xl font-semibold">Doctor</h1>
          <button type="button" className="rounded border px-3 py-1 text-sm" onClick={() => void report.refetch()} disabled={report.isFetching}>
            Check again
          </button>
        </div>
        <p className="text-sm text-slate-500">
          What agents of this project need, checked on the web host and against the live runners. The same checks from a shell:{" "}
          <code>drover doctor &lt;path&gt;</code>.
        </p>
        {report.error && (
          <p role="alert" className="text-sm text-red-700">
            {errorMessage(report.error)}
          </p>
        )}
        {report.data && (
          <>
            <p data-testid="doctor-summary" className={`text-sm font-medium ${report.data.failed ? "text-red-700" : "text-green-700"}`}>
              {report.data.failed ? "Something an agent needs is missing: fix the FAIL lines." : "Everything an agent needs is here."}
            </p>
            <table className="w-full rounded border bg-white text-sm" data-testid="doctor">
              <tbody>
                {report.data.lines.map((l) => (
                  <tr key={l.check} className="border-t align-top" data-status={l.status}>
                    <td className={`p-2 font-mono text-xs font-semibold ${STYLE[l.status]}`}>{MARK[l.status]}</td>
                    <td className="p-2 whitespace-nowrap">{l.check}</td>
                    <td className="p-2 break-all">{l.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </main>
    </>
  );
}

export default function Page() {
  return (
    <Suspense>
      <Doctor />
    </Suspense>
  );
}
