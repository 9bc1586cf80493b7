"use client";
// The actions a person can take on a story, only those that fit its state (core storyActions):
// nothing starts, reviews or blocks a merged story.
import type { RouterOutputs } from "@drover/api";
import { storyActions } from "@drover/core/pipeline/story-actions";
import type { StageName } from "@drover/core/pipeline/stages";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { StatusGlyph } from "@/components/glyph";
import { errorMessage } from "@/lib/error-message";
import { useMe } from "@/lib/me";
import { useTRPC } from "@/lib/trpc";

type Story = RouterOutputs["views"]["storyAt"];

export function StoryActions({ story }: { story: Story }) {
  const trpc = useTRPC();
  const router = useRouter();
  const canAct = useMe().can("member");
  const active = story.sessions.filter((x) => x.status === "pending" || x.status === "running");
  const last = story.sessions[0];
  const can = storyActions(story, { activeSessions: active.length, lastSessionFailed: last?.status === "failed" || last?.status === "interrupted" });
  const agents = useQuery({ ...trpc.views.agents.queryOptions({ projectId: story.projectId }), enabled: can.start });
  const [agentName, setAgentName] = useState("");
  const [stage, setStage] = useState<StageName | "">("");
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
  const start = useMutation(trpc.agents.start.mutationOptions({ onSuccess: (s) => router.push(`/sessions/${s.id}`) }));
  const stop = useMutation(trpc.agents.stop.mutationOptions({ onSuccess: done("Stop requested") }));
  const move = useMutation(trpc.stories.move.mutationOptions({ onSuccess: done("Moved") }));
  const block = useMutation(trpc.stories.block.mutationOptions({ onSuccess: done("Blocked") }));
  const approve = useMutation(trpc.review.approve.mutationOptions({ onSuccess: done("Approved") }));
  const reject = useMutation(trpc.review.reject.mutationOptions({ onSuccess: done("Rejected") }));
  const retry = useMutation(trpc.review.retry.mutationOptions({ onSuccess: done("Retry queued") }));
  const key = { projectId: story.projectId, storyNumber: story.number };
  const btn = "rounded bg-slate-900 px-2 py-1 text-sm text-white disabled:opacity-50";
  const btn2 = "rounded border px-2 py-1 text-sm disabled:opacity-50";
  // Viewers change nothing: no actions to offer (the server refuses them too).
  if (!canAct) return null;
  return (
    <section className="space-y-3 rounded border bg-white p-4 text-sm" data-testid="story-actions">
      <h2 className="font-semibold">Actions</h2>
      {can.start && (
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
                  {a.status === "running" ? "●" : a.status === "throttled" ? "◑" : "○"} {a.name} ({a.stage})
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
      )}
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
      {can.moveTo.length > 0 && (
        <div className="flex gap-2">
          <select aria-label="Move to stage" className="flex-1 rounded border px-2 py-1" value={stage} onChange={(e) => setStage(e.target.value as StageName)}>
            <option value="">Move to…</option>
            {can.moveTo.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
          <button type="button" className={btn2} disabled={!stage} onClick={() => stage && move.mutate({ ...key, to: stage }, { onError: fail })}>
            Move
          </button>
        </div>
      )}
      {/* A blocked story is unblocked from StoryLifecycle (resume with context, or unblock only). */}
      {can.block && (
        <div className="flex gap-2">
          <input
            aria-label="Block reason"
            className="flex-1 rounded border px-2 py-1"
            placeholder="Reason"
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="button" className={btn2} onClick={() => block.mutate({ ...key, reason: reason || undefined }, { onError: fail })}>
            Block
          </button>
        </div>
      )}
      {can.review && (
        <div className="space-y-2">
          <textarea
            aria-label="QA notes"
            className="w-full rounded border px-2 py-1"
            rows={2}
            placeholder="QA notes (what to fix, for Reject)"
            maxLength={50_000}
            value={notes}
            onChange={(e) => {
              setNotes(e.target.value);
              setError(null);
            }}
          />
          <div className="flex gap-2">
            <button type="button" className={btn2} onClick={() => approve.mutate(key, { onError: fail })}>
              Approve
            </button>
            <button type="button" className={btn2} onClick={() => reject.mutate({ ...key, notes }, { onError: fail })}>
              Reject
            </button>
          </div>
        </div>
      )}
      {can.retry && (
        <button type="button" className={btn2} onClick={() => retry.mutate(key, { onError: fail })}>
          Retry
        </button>
      )}
      {!can.start && !can.review && !can.retry && !can.block && !can.unblock && active.length === 0 && (
        <p className="text-slate-500">{story.stage === "done" ? "Merged: nothing left to do." : `Nothing to do in ${story.stage}.`}</p>
      )}
      {error && (
        <p role="alert" data-testid="action-error" className="text-red-700">
          {error}
        </p>
      )}
      {ok && <p className="text-emerald-700">{ok}</p>}
    </section>
  );
}
