"use client";
// Front-matter fields, validated here (so mistakes are explained before sending) and by the API.
import type { RouterOutputs } from "@drover/api";
import { QA_MODES } from "@drover/core/config/types";
import { STORY_KINDS } from "@drover/core/stories/file";
import { storyEditInput } from "@drover/db/services/story-input";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";

type Story = RouterOutputs["views"]["story"];

/** The fields this form edits, with the API's own rules. */
const schema = storyEditInput.pick({ projectId: true, storyNumber: true, title: true, kind: true, agent: true, qa: true, reviewHold: true, dependsOn: true });

export function FrontMatterForm({ story }: { story: Story }) {
  const [title, setTitle] = useState(story.title);
  const [kind, setKind] = useState<string>(story.kind);
  const [agent, setAgent] = useState(story.agent ?? "");
  const [qa, setQa] = useState<string>(story.qa ?? "");
  const [reviewHold, setReviewHold] = useState(story.reviewHold);
  const [dependsOn, setDependsOn] = useState(story.dependsOn.join(", "));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const trpc = useTRPC();
  const update = useMutation(trpc.stories.update.mutationOptions({ onSuccess: () => setSaved(true) }));
  const input = "w-full rounded border px-2 py-1";
  return (
    <form
      className="space-y-2 rounded border bg-white p-4 text-sm"
      data-testid="front-matter"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        const deps = dependsOn
          .split(/[\s,]+/)
          .filter(Boolean)
          .map((x) => Number(x.replace(/^#/, "")));
        const parsed = schema.safeParse({
          projectId: story.projectId,
          storyNumber: story.number,
          title,
          kind,
          agent: agent || null,
          qa: qa || null,
          reviewHold,
          dependsOn: deps,
        });
        if (!parsed.success) {
          const i = parsed.error.issues[0]!;
          setError(`${i.path.join(".") || "field"}: ${i.message}`);
          return;
        }
        setError(null);
        update.mutate(parsed.data, { onError: (err) => setError(errorMessage(err)) });
      }}
    >
      <h2 className="font-semibold">Front matter</h2>
      <label className="block">
        title <input className={input} value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label className="block">
        kind
        <select className={input} value={kind} onChange={(e) => setKind(e.target.value)}>
          {STORY_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
      <label className="block">
        agent (pin) <input className={input} value={agent} onChange={(e) => setAgent(e.target.value)} placeholder="any" />
      </label>
      <label className="block">
        qa
        <select className={input} value={qa} onChange={(e) => setQa(e.target.value)}>
          <option value="">project default</option>
          {QA_MODES.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
      <label className="block">
        depends_on <input className={input} value={dependsOn} onChange={(e) => setDependsOn(e.target.value)} placeholder="e.g. 3, 7" />
      </label>
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={reviewHold} onChange={(e) => setReviewHold(e.target.checked)} /> review_hold
      </label>
      <p className="text-xs text-slate-500">
        retry_count {story.retryCount} · blocked {String(story.blocked)}
        {story.mergeFailure ? ` · merge_failure: ${story.mergeFailure}` : ""}
      </p>
      <button type="submit" className="rounded bg-slate-900 px-2 py-1 text-white" disabled={update.isPending}>
        Save
      </button>
      {error && (
        <p role="alert" className="text-red-700" data-testid="front-matter-error">
          {error}
        </p>
      )}
      {saved && <p className="text-emerald-700">Saved</p>}
    </form>
  );
}
