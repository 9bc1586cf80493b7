"use client";
// A story: rendered body, criteria, editable front matter, actions, sessions and branch diff.
import { STAGES, type StageName } from "@drover/core/pipeline/stages";
import { parseCriteria } from "@drover/core/stories/criteria";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { Suspense, useEffect, useState } from "react";
import { PatchView } from "@/components/diff-view";
import { fmtCost, fmtDuration, fmtTokens, SessionStatus, StatusGlyph } from "@/components/glyph";
import { Markdown } from "@/components/markdown";
import { Nav } from "@/components/nav";
import { errorMessage } from "@/lib/error-message";
import { useLiveProject } from "@/lib/live";
import { useMe } from "@/lib/me";
import { useTRPC } from "@/lib/trpc";
import { FrontMatterForm } from "./front-matter";

function StoryPage() {
  const { id } = useParams<{ id: string }>();
  const storyId = Number(id);
  const trpc = useTRPC();
  const story = useQuery(trpc.views.story.queryOptions({ storyId }));
  useLiveProject(story.data?.projectId);
  const tick = useMutation(trpc.stories.tick.mutationOptions());
  if (story.error) return <p className="p-6 text-red-700">{story.error.message}</p>;
  if (!story.data) return <p className="p-6">Loading…</p>;
  const s = story.data;
  const criteria = parseCriteria(s.body);
  return (
    <>
      <Nav projectId={s.projectId} />
      <main className="mx-auto grid max-w-7xl grid-cols-1 gap-6 p-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <p className="text-sm text-slate-500">
            <Link href={`/?project=${s.projectId}`} className="underline">
              {s.project.name}
            </Link>{" "}
            · {s.kind} · <span data-testid="story-stage">{s.stage}</span>
            {s.blocked && <span className="ml-2 text-red-700">✗ blocked{s.blockedReason ? `: ${s.blockedReason}` : ""}</span>}
            {s.mergeFailure && <span className="ml-2 text-red-700">merge failed: {s.mergeFailure}</span>}
          </p>
          <h1 className="mb-4 text-2xl font-semibold">
            #{s.number} {s.title}
          </h1>
          <section data-testid="story-body" className="rounded border bg-white p-4">
            <Markdown text={s.body || "_No description._"} />
          </section>
          {criteria.length > 0 && (
            <section className="mt-4 rounded border bg-white p-4">
              <h2 className="mb-2 font-semibold">
                Acceptance criteria ({criteria.filter((c) => c.checked).length}/{criteria.length})
              </h2>
              {criteria.map((c, index) => (
                <label key={c.line} className="flex items-start gap-2 py-0.5 text-sm">
                  <input
                    type="checkbox"
                    checked={c.checked}
                    disabled={tick.isPending}
                    onChange={(e) => tick.mutate({ projectId: s.projectId, storyNumber: s.number, index, checked: e.target.checked })}
                  />
                  <span>{c.text}</span>
                </label>
              ))}
              {tick.error && (
                <p role="alert" className="text-sm text-red-700">
                  {errorMessage(tick.error)}
                </p>
              )}
            </section>
          )}
          <Sessions sessions={s.sessions} />
          <Changes storyId={storyId} />
        </div>
        <aside className="space-y-4">
          <Actions story={s} />
          <FrontMatterForm key={String(s.updatedAt)} story={s} />
        </aside>
      </main>
    </>
  );
}

type StoryData = NonNullable<ReturnType<typeof useStoryQuery>["data"]>;
function useStoryQuery(storyId: number) {
  const trpc = useTRPC();
  return useQuery(trpc.views.story.queryOptions({ storyId }));
}

function Actions({ story }: { story: StoryData }) {
  const trpc = useTRPC();
  const router = useRouter();
  const agents = useQuery(trpc.views.agents.queryOptions({ projectId: story.projectId }));
  const [agentName, setAgentName] = useState("");
  const [stage, setStage] = useState<StageName>(story.stage);
  useEffect(() => setStage(story.stage), [story.stage]);
  const [reason, setReason] = useState("");
  const [notes, setNotes] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const done = (what: string) => () => {
    setError(null);
    setOk(what);
  };
  const fail = (err: unknown) => {
    setOk(null);
    setError(errorMessage(err));
  };
  const canAct = useMe().can("member");
  const start = useMutation(trpc.agents.start.mutationOptions({ onSuccess: (s) => router.push(`/sessions/${s.id}`) }));
  const stop = useMutation(trpc.agents.stop.mutationOptions({ onSuccess: done("Stop requested") }));
  const move = useMutation(trpc.stories.move.mutationOptions({ onSuccess: done("Moved") }));
  const block = useMutation(trpc.stories.block.mutationOptions({ onSuccess: done("Blocked") }));
  const unblock = useMutation(trpc.stories.unblock.mutationOptions({ onSuccess: done("Unblocked") }));
  const approve = useMutation(trpc.review.approve.mutationOptions({ onSuccess: done("Approved") }));
  const reject = useMutation(trpc.review.reject.mutationOptions({ onSuccess: done("Rejected") }));
  const retry = useMutation(trpc.review.retry.mutationOptions({ onSuccess: done("Retry queued") }));
  const key = { projectId: story.projectId, storyNumber: story.number };
  const active = story.sessions.filter((x) => x.status === "pending" || x.status === "running");
  const btn = "rounded bg-slate-900 px-2 py-1 text-sm text-white disabled:opacity-50";
  const btn2 = "rounded border px-2 py-1 text-sm";
  // Viewers change nothing: no actions to offer (the server refuses them too).
  if (!canAct) return null;
  return (
    <section className="space-y-3 rounded border bg-white p-4 text-sm" data-testid="story-actions">
      <h2 className="font-semibold">Actions</h2>
      <div className="flex gap-2">
        <select
          aria-label="Agent to start"
          className="min-w-0 flex-1 rounded border px-2 py-1"
          value={agentName}
          onChange={(e) => setAgentName(e.target.value)}
        >
          <option value="">{story.agent ? `Pinned: ${story.agent}` : "Pick an agent…"}</option>
          {agents.data
            ?.filter((a) => a.enabled)
            .map((a) => (
              <option key={a.id} value={a.name}>
                {a.status === "idle" ? "○" : a.status === "running" ? "●" : a.status === "throttled" ? "◑" : "○"} {a.name} ({a.stage})
                {a.active ? ` — busy on #${a.active.story.number}` : ""}
              </option>
            ))}
        </select>
        <button
          type="button"
          className={btn}
          disabled={start.isPending}
          onClick={() => start.mutate({ ...key, agentName: agentName || story.agent || undefined }, { onError: fail })}
        >
          Start
        </button>
      </div>
      {active.map((x) => (
        <div key={x.id} className="flex items-center gap-2">
          <StatusGlyph status={x.status === "running" ? "running" : "pending"} />
          <Link className="underline" href={`/sessions/${x.id}`}>
            {x.agentName} session {x.id}
          </Link>
          <button type="button" className={btn2} onClick={() => stop.mutate({ ...key, agentName: x.agentName }, { onError: fail })}>
            Stop
          </button>
        </div>
      ))}
      <div className="flex gap-2">
        <select aria-label="Move to stage" className="flex-1 rounded border px-2 py-1" value={stage} onChange={(e) => setStage(e.target.value as StageName)}>
          {STAGES.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
        <button type="button" className={btn2} onClick={() => move.mutate({ ...key, to: stage }, { onError: fail })}>
          Move
        </button>
      </div>
      {story.blocked ? (
        <button type="button" className={btn2} onClick={() => unblock.mutate(key, { onError: fail })}>
          Unblock
        </button>
      ) : (
        <div className="flex gap-2">
          <input
            aria-label="Block reason"
            className="flex-1 rounded border px-2 py-1"
            placeholder="Reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="button" className={btn2} onClick={() => block.mutate({ ...key, reason: reason || undefined }, { onError: fail })}>
            Block
          </button>
        </div>
      )}
      <div className="space-y-2">
        <textarea
          aria-label="QA notes"
          className="w-full rounded border px-2 py-1"
          rows={2}
          placeholder="QA notes"
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
        />
        <div className="flex gap-2">
          <button type="button" className={btn2} onClick={() => approve.mutate(key, { onError: fail })}>
            Approve
          </button>
          <button type="button" className={btn2} onClick={() => reject.mutate({ ...key, notes }, { onError: fail })}>
            Reject
          </button>
          <button type="button" className={btn2} onClick={() => retry.mutate(key, { onError: fail })}>
            Retry
          </button>
        </div>
      </div>
      {error && (
        <p role="alert" data-testid="action-error" className="text-red-700">
          {error}
        </p>
      )}
      {ok && <p className="text-emerald-700">{ok}</p>}
    </section>
  );
}

function Sessions({ sessions }: { sessions: StoryData["sessions"] }) {
  return (
    <section className="mt-4 rounded border bg-white p-4">
      <h2 className="mb-2 font-semibold">Sessions</h2>
      {sessions.length === 0 ? (
        <p className="text-sm text-slate-500">No sessions yet.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="story-sessions">
          <thead className="text-xs text-slate-500">
            <tr>
              <th>Session</th>
              <th>Agent</th>
              <th>Status</th>
              <th>Reason</th>
              <th>Duration</th>
              <th>Turns</th>
              <th>Tokens in/out</th>
              <th>Cost</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((x) => (
              <tr key={x.id} className="border-t">
                <td>
                  <Link className="underline" href={`/sessions/${x.id}`}>
                    {x.id}
                  </Link>
                </td>
                <td>{x.agentName}</td>
                <td>
                  <SessionStatus status={x.status} />
                </td>
                <td title={x.message ?? undefined}>{x.reason ?? ""}</td>
                <td>{fmtDuration(x.durationMs)}</td>
                <td>{x.turns}</td>
                <td>
                  {fmtTokens(x.inputTokens)}/{fmtTokens(x.outputTokens)}
                </td>
                <td>{fmtCost(x.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Changes({ storyId }: { storyId: number }) {
  const trpc = useTRPC();
  const diff = useQuery(trpc.views.storyDiff.queryOptions({ storyId }));
  return (
    <section className="mt-4 rounded border bg-white p-4" data-testid="story-changes">
      <h2 className="mb-2 font-semibold">
        Changes{" "}
        {diff.data?.branch && (
          <span className="text-sm font-normal text-slate-500">
            {diff.data.branch} vs {diff.data.base}
          </span>
        )}
      </h2>
      {diff.data?.error && <p className="text-sm text-red-700">{diff.data.error}</p>}
      {diff.data && !diff.data.branch && <p className="text-sm text-slate-500">No branch yet.</p>}
      {diff.data?.branch && diff.data.files.length === 0 && !diff.data.error && <p className="text-sm text-slate-500">No changes against {diff.data.base}.</p>}
      {diff.data?.files.map((f) => (
        <details key={f.path} className="mb-2 rounded border">
          <summary className="cursor-pointer px-2 py-1 text-sm">
            <span className="font-mono">{f.path}</span> <span className="text-xs text-slate-500">{f.status}</span>{" "}
            <span className="text-emerald-700">+{f.additions}</span> <span className="text-red-700">−{f.deletions}</span>
          </summary>
          <PatchView patch={f.patch} />
        </details>
      ))}
    </section>
  );
}

export default function Page() {
  return (
    <Suspense>
      <StoryPage />
    </Suspense>
  );
}
