"use client";
// One session: header figures, stop, resume-with-context once ended, and the live log.
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { Suspense, useState } from "react";
import { fmtCost, fmtDuration, fmtTokens, SessionStatus } from "@/components/glyph";
import { Nav } from "@/components/nav";
import { errorMessage } from "@/lib/error-message";
import { useLiveProject } from "@/lib/live";
import { useMe } from "@/lib/me";
import { storyHref } from "@/lib/story-href";
import { useTRPC } from "@/lib/trpc";
import { LogView } from "./log-view";
import { ResumeForm } from "./resume-form";

function SessionPage() {
  const { id } = useParams<{ id: string }>();
  const sessionId = Number(id);
  const trpc = useTRPC();
  const session = useQuery(trpc.views.session.queryOptions({ sessionId }));
  useLiveProject(session.data?.projectId);
  const [stopError, setStopError] = useState<string | null>(null);
  const stop = useMutation(trpc.agents.stop.mutationOptions());
  // Stopping and resuming are a member's (the server refuses them too).
  const canAct = useMe().can("member");
  if (session.error) return <p className="p-6 text-red-700">{session.error.message}</p>;
  if (!session.data) return <p className="p-6">Loading…</p>;
  const s = session.data;
  const active = s.status === "pending" || s.status === "running";
  const fact = (label: string, value: React.ReactNode) => (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="font-medium">{value}</dd>
    </div>
  );
  return (
    <div className="flex h-screen flex-col">
      <Nav projectId={s.projectId} />
      <main className="flex min-h-0 flex-1 flex-col gap-3 p-4">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold" data-testid="session-title">
            Session {s.id}
          </h1>
          <SessionStatus status={s.status} />
          {/* The reason only when it adds to the status ("failed: gate_failed", not "completed completed"). */}
          {(s.message || (s.reason && s.reason !== s.status)) && (
            <span className="text-sm text-slate-600" data-testid="session-reason">
              {[s.reason !== s.status && s.reason, s.message].filter(Boolean).join(": ")}
            </span>
          )}
          {active && canAct && (
            <button
              type="button"
              className="rounded bg-red-700 px-3 py-1 text-sm text-white"
              disabled={stop.isPending || !!s.stopRequestedAt}
              onClick={() =>
                stop.mutate({ projectId: s.projectId, storyNumber: s.story.number, agentName: s.agent.name }, { onError: (e) => setStopError(errorMessage(e)) })
              }
            >
              {s.stopRequestedAt ? "Stopping…" : "Stop"}
            </button>
          )}
          {stopError && (
            <span role="alert" className="text-sm text-red-700">
              {stopError}
            </span>
          )}
          {s.resumeOfId && (
            <Link className="text-sm underline" href={`/sessions/${s.resumeOfId}`}>
              resumes session {s.resumeOfId}
            </Link>
          )}
          {s.resumes.map((r) => (
            <Link key={r.id} className="text-sm underline" href={`/sessions/${r.id}`}>
              resumed as {r.id}
            </Link>
          ))}
        </div>
        <dl className="grid grid-cols-2 gap-3 rounded border bg-white p-3 text-sm md:grid-cols-5 lg:grid-cols-10">
          {fact(
            "Agent",
            <Link className="underline" href={`/agents/${s.agent.id}`}>
              {s.agent.name}
            </Link>,
          )}
          {fact(
            "Story",
            <Link className="underline" href={storyHref(s.projectId, s.story.number)}>
              #{s.story.number} {s.story.title}
            </Link>,
          )}
          {fact("Runtime", s.runtime)}
          {fact("Runtime session", <span className="break-all font-mono text-xs">{s.runtimeSessionId ?? "–"}</span>)}
          {fact("Model", s.model ?? "–")}
          {fact("Duration", fmtDuration(s.durationMs))}
          {fact("Turns", s.turns)}
          {fact("Tokens in/out", `${fmtTokens(s.inputTokens)} / ${fmtTokens(s.outputTokens)}`)}
          {fact("Cost", `${fmtCost(s.costUsd)}${s.costEstimated ? " (est.)" : ""}`)}
          {fact("Trigger", s.trigger ?? "–")}
        </dl>
        {s.compactedAt && (
          <p className="rounded border bg-slate-50 p-2 text-sm" data-testid="session-compacted">
            Compacted on {s.compactedAt.toISOString().slice(0, 10)}: {s.eventsKept ?? "?"} events kept of {s.eventsBefore ?? "?"}; the full raw log is still
            downloadable.
          </p>
        )}
        {s.resumeContext && <p className="rounded border bg-amber-50 p-2 text-sm">Context given: {s.resumeContext}</p>}
        {!active && canAct && (
          <ResumeForm sessionId={s.id} projectId={s.projectId} storyNumber={s.story.number} agentName={s.agent.name} canResume={!!s.runtimeSessionId} />
        )}
        <LogView sessionId={sessionId} active={active} status={s.status} />
      </main>
    </div>
  );
}

export default function Page() {
  return (
    <Suspense>
      <SessionPage />
    </Suspense>
  );
}
