"use client";
// The story's text, each part once: the description (markdown, editable with a preview) and the
// acceptance criteria (a checklist to tick, editable as a list). The title heading is not repeated.
import type { RouterOutputs } from "@drover/api";
import { splitBody, type CriterionInput } from "@drover/core/stories/body-parts";
import { STORY_LIMITS, storyEditInput } from "@drover/db/services/story-input";
import { checkInput } from "@drover/db/services/validate";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { CriteriaEditor } from "@/components/criteria-editor";
import { Markdown } from "@/components/markdown";
import { MarkdownEditor } from "@/components/markdown-editor";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";

type Story = RouterOutputs["views"]["storyAt"];
const btn = "rounded border px-2 py-0.5 text-xs";
const save = "rounded bg-slate-900 px-2 py-0.5 text-xs text-white disabled:opacity-50";

/** Saves one part of the story (description or criteria) through stories.update, checked first. */
function useSavePart(story: Story, onSaved: () => void) {
  const trpc = useTRPC();
  const update = useMutation(trpc.stories.update.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const run = (part: { description: string } | { criteria: CriterionInput[] }) => {
    const checked = checkInput(storyEditInput, { projectId: story.projectId, storyNumber: story.number, ...part });
    if (!checked.ok) return setError(checked.error);
    update.mutate(checked.data, { onError: (err) => setError(errorMessage(err)), onSuccess: onSaved });
  };
  return { run, error, clearError: () => setError(null), pending: update.isPending };
}

function ErrorLine({ error, testId }: { error: string | null; testId: string }) {
  return error ? (
    <p role="alert" data-testid={testId} className="text-sm text-red-700">
      {error}
    </p>
  ) : null;
}

export function StoryDescription({ story }: { story: Story }) {
  const { description } = splitBody(story.body);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(description);
  const part = useSavePart(story, () => setEditing(false));
  return (
    <section data-testid="story-description" className="rounded border bg-white p-4">
      <div className="mb-2 flex items-center justify-between">
        <h2 className="font-semibold">Description</h2>
        {!editing && (
          <button
            type="button"
            className={btn}
            onClick={() => {
              setDraft(description);
              setEditing(true);
            }}
          >
            Edit description
          </button>
        )}
      </div>
      {editing ? (
        <div className="space-y-2">
          <MarkdownEditor
            label="Description"
            value={draft}
            onChange={(v) => {
              setDraft(v);
              part.clearError();
            }}
            maxLength={STORY_LIMITS.description}
            rows={12}
          />
          <ErrorLine error={part.error} testId="description-error" />
          <div className="flex gap-2">
            <button type="button" className={save} disabled={part.pending} onClick={() => part.run({ description: draft })}>
              Save description
            </button>
            <button type="button" className={btn} onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div data-testid="story-body">{description ? <Markdown text={description} /> : <p className="text-sm text-slate-500">No description.</p>}</div>
      )}
    </section>
  );
}

export function StoryCriteria({ story }: { story: Story }) {
  const { criteria, notes } = splitBody(story.body);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<CriterionInput[]>(criteria);
  const part = useSavePart(story, () => setEditing(false));
  const trpc = useTRPC();
  const tick = useMutation(trpc.stories.tick.mutationOptions());
  return (
    <section data-testid="story-criteria" className="mt-4 rounded border bg-white p-4">
      <div className="mb-2 flex items-center justify-between">
        <h2 className="font-semibold">
          {criteria.length ? `Acceptance criteria (${criteria.filter((c) => c.checked).length}/${criteria.length})` : "Acceptance criteria"}
        </h2>
        {!editing && (
          <button
            type="button"
            className={btn}
            onClick={() => {
              setDraft(criteria);
              setEditing(true);
            }}
          >
            Edit criteria
          </button>
        )}
      </div>
      {editing ? (
        <div className="space-y-2">
          <CriteriaEditor
            value={draft}
            onChange={(v) => {
              setDraft(v);
              part.clearError();
            }}
            maxLength={STORY_LIMITS.criterion}
          />
          <ErrorLine error={part.error} testId="criteria-error" />
          <div className="flex gap-2">
            <button type="button" className={save} disabled={part.pending} onClick={() => part.run({ criteria: draft })}>
              Save criteria
            </button>
            <button type="button" className={btn} onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <>
          {criteria.length === 0 && <p className="text-sm text-slate-500">No acceptance criteria.</p>}
          {criteria.map((c, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a criterion is addressed by its position (stories.tick)
            <label key={index} className="flex items-start gap-2 py-0.5 text-sm">
              <input
                type="checkbox"
                checked={c.checked}
                disabled={tick.isPending}
                onChange={(e) => tick.mutate({ projectId: story.projectId, storyNumber: story.number, index, checked: e.target.checked })}
              />
              <span>{c.text}</span>
            </label>
          ))}
          {notes && <Markdown className="mt-2 text-sm" text={notes} />}
          {tick.error && (
            <p role="alert" className="text-sm text-red-700">
              {errorMessage(tick.error)}
            </p>
          )}
        </>
      )}
    </section>
  );
}
