"use client";
// Front-matter fields, validated here (so mistakes are explained before sending) and by the API.
// Dependencies and the agent pin are picked from the project's stories and roster, never typed.
import type { RouterOutputs } from "@drover/api";
import { QA_MODES } from "@drover/core/config/types";
import { STORY_KINDS } from "@drover/core/stories/file";
import { STORY_LIMITS, storyEditInput } from "@drover/db/services/story-input";
import { checkInput } from "@drover/db/services/validate";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { AgentPicker } from "@/components/agent-picker";
import { StoryPicker } from "@/components/story-picker";
import { errorMessage } from "@/lib/error-message";
import { useMe } from "@/lib/me";
import { useTRPC } from "@/lib/trpc";

type Story = RouterOutputs["views"]["storyAt"];

/** The fields this form edits, with the API's own rules. */
const schema = storyEditInput.pick({ projectId: true, storyNumber: true, title: true, kind: true, agent: true, qa: true, reviewHold: true, dependsOn: true });

export function FrontMatterForm({ story }: { story: Story }) {
  const [fields, setFields] = useState({
    title: story.title,
    kind: story.kind as string,
    agent: story.agent ?? "",
    qa: (story.qa ?? "") as string,
    reviewHold: story.reviewHold,
    dependsOn: story.dependsOn,
  });
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const trpc = useTRPC();
  // Viewers see the fields but cannot change them (the server refuses it too).
  const canEdit = useMe().can("member");
  const update = useMutation(trpc.stories.update.mutationOptions({ onSuccess: () => setSaved(true) }));
  // Any edit clears the last error and "Saved": they were about the values before it.
  const edit = <K extends keyof typeof fields>(key: K, value: (typeof fields)[K]) => {
    setFields((f) => ({ ...f, [key]: value }));
    setError(null);
    setSaved(false);
  };
  const input = "w-full rounded border px-2 py-1";
  return (
    <form
      className="space-y-2 rounded border bg-white p-4 text-sm"
      data-testid="front-matter"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        const checked = checkInput(schema, {
          projectId: story.projectId,
          storyNumber: story.number,
          ...fields,
          agent: fields.agent || null,
          qa: fields.qa || null,
        });
        if (!checked.ok) return setError(checked.error);
        setError(null);
        update.mutate(checked.data, { onError: (err) => setError(errorMessage(err)) });
      }}
    >
      <h2 className="font-semibold">Front matter</h2>
      <fieldset disabled={!canEdit} className="space-y-2">
        <label className="block">
          title <input className={input} maxLength={STORY_LIMITS.title} value={fields.title} onChange={(e) => edit("title", e.target.value)} />
        </label>
        <label className="block">
          kind
          <select className={input} value={fields.kind} onChange={(e) => edit("kind", e.target.value)}>
            {STORY_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <div>
          <span className="block">agent (pin)</span>
          <AgentPicker projectId={story.projectId} label="agent (pin)" value={fields.agent} onChange={(v) => edit("agent", v)} />
        </div>
        <label className="block">
          qa
          <select className={input} value={fields.qa} onChange={(e) => edit("qa", e.target.value)}>
            <option value="">project default</option>
            {QA_MODES.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <div>
          <span className="block">depends_on</span>
          <StoryPicker
            projectId={story.projectId}
            exclude={story.number}
            value={fields.dependsOn}
            onChange={(v) => edit("dependsOn", v)}
            label="Pick stories"
          />
        </div>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={fields.reviewHold} onChange={(e) => edit("reviewHold", e.target.checked)} /> review_hold
        </label>
        <p className="text-xs text-slate-500">retry_count {story.retryCount}</p>
        {canEdit && (
          <button type="submit" className="rounded bg-slate-900 px-2 py-1 text-white" disabled={update.isPending}>
            Save
          </button>
        )}
      </fieldset>
      {error && (
        <p role="alert" className="text-red-700" data-testid="front-matter-error">
          {error}
        </p>
      )}
      {saved && <p className="text-emerald-700">Saved</p>}
    </form>
  );
}
