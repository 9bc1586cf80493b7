"use client";
// Project settings: where it lives, its config as parsed, and the file's errors with line and key.
import { useMutation, useQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import { ConfigErrorWording } from "@/components/config-error-wording";
import { Nav, useProjectId } from "@/components/nav";
import { ProjectDangerZone } from "@/components/project-danger-zone";
import { errorMessage } from "@/lib/error-message";
import { locateConfigErrors } from "@/lib/config-error";
import { useLiveProject } from "@/lib/live";
import { useMe } from "@/lib/me";
import { useTRPC } from "@/lib/trpc";
import { ProjectMembers } from "./project-members";
import { ProjectSecrets } from "./project-secrets";

function Settings() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const p = useQuery({ ...trpc.views.settings.queryOptions({ projectId: projectId ?? 0 }), enabled: !!projectId });
  useLiveProject(projectId);
  const reload = useMutation(trpc.projects.reload.mutationOptions());
  // Reloading the roster and the secrets are an admin's (the server refuses them too).
  const isAdmin = useMe().can("admin");
  const data = p.data;
  const problems = data?.configError ? locateConfigErrors(data.configError, data.configText) : [];
  const badLines = new Set(problems.map((p) => p.line).filter((l) => l !== undefined));
  return (
    <>
      <Nav projectId={projectId} />
      <main className="mx-auto max-w-5xl space-y-4 p-4">
        <h1 className="text-xl font-semibold">Project settings</h1>
        {data && (
          <>
            <dl className="grid grid-cols-2 gap-2 rounded border bg-white p-3 text-sm">
              <dt className="text-slate-500">Name</dt>
              <dd>
                {data.name}
                {data.isDemo ? " (demo)" : ""}
              </dd>
              <dt className="text-slate-500">Repository</dt>
              <dd className="font-mono">{data.repoPath}</dd>
              <dt className="text-slate-500">Base branch</dt>
              <dd>{data.baseBranch}</dd>
              <dt className="text-slate-500">Config read</dt>
              <dd>{data.configLoadedAt ? new Date(data.configLoadedAt).toLocaleString() : "never"}</dd>
            </dl>
            {isAdmin && (
              <button type="button" className="rounded border px-3 py-1 text-sm" onClick={() => projectId && reload.mutate({ projectId })}>
                Reload .drover/project.toml
              </button>
            )}
            {reload.error && (
              <p role="alert" className="text-sm text-red-700">
                {errorMessage(reload.error)}
              </p>
            )}
            {data.configError && (
              <div role="alert" data-testid="config-error" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
                <strong>.drover/project.toml has errors.</strong> <ConfigErrorWording hasGoodConfig={data.config !== null} />
                <ul className="mt-2 list-disc pl-5">
                  {problems.map((p, i) => (
                    <li key={i} data-testid="config-problem">
                      {p.line !== undefined && <span className="font-semibold">line {p.line}</span>}
                      {p.key && (
                        <>
                          {" "}
                          · key <code>{p.key}</code>
                        </>
                      )}
                      {(p.line !== undefined || p.key) && ": "}
                      {p.message}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <section className="rounded border bg-white">
              <h2 className="border-b p-2 font-semibold">.drover/project.toml</h2>
              <pre className="overflow-x-auto text-xs leading-5">
                {(data.configText ?? "(not read yet)").split("\n").map((l, i) => (
                  <div key={i} className={badLines.has(i + 1) ? "bg-red-100" : ""}>
                    <span className="inline-block w-10 select-none pr-2 text-right text-slate-400">{i + 1}</span>
                    {l}
                  </div>
                ))}
              </pre>
            </section>
            <section className="rounded border bg-white">
              <h2 className="border-b p-2 font-semibold">As parsed</h2>
              <pre className="overflow-x-auto p-2 text-xs" data-testid="parsed-config">
                {JSON.stringify(data.config, null, 2)}
              </pre>
            </section>
            {projectId && isAdmin && <ProjectSecrets projectId={projectId} />}
            {projectId && isAdmin && <ProjectMembers projectId={projectId} />}
            {isAdmin && <ProjectDangerZone project={data} />}
          </>
        )}
      </main>
    </>
  );
}

export default function Page() {
  return (
    <Suspense>
      <Settings />
    </Suspense>
  );
}
