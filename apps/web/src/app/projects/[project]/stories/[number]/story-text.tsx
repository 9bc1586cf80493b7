"use client";
// The story's text, each part once: the description (markdown, editable with a preview) and the
// acceptance criteria (a checklist to tick, editable as a list). The title heading is not repeated.
import type { RouterOutputs } from "@drover/api";
import { splitBody, type CriterionInput } from "@drover/core/stories/body-parts";
import { STORY_LIMITS, storyEditInput } from "@drover/db/services/story-input";
import { checkInput } from "@drover/db/services/validate";
import { useMutation } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { CriteriaEditor } from "@/components/criteria-editor";
import { Markdown } from "@/components/markdown";
import { MarkdownEditor } from "@/components/markdown-editor";
import { errorMessage } from "@/lib/error-message";
import { useMe } from "@/lib/me";
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

/** A part of the story with its heading, an Edit button, and Save / Cancel while editing. */
function EditablePart(p: {
  testId: string;
  heading: string;
  part: string;
  editing: boolean;
  onEdit: () => void;
  onSave: () => void;
  onCancel: () => void;
  pending: boolean;
  error: string | null;
  editor: ReactNode;
  view: ReactNode;
}) {
  // Viewers read the story; editing it is a member's (the server refuses it too).
  const canEdit = useMe().can("member");
  return (
    <section data-testid={p.testId} className="mb-4 rounded border bg-white p-4">
      <div className="mb-2 flex items-center justify-between">
        <h2 className="font-semibold">{p.heading}</h2>
        {canEdit && !p.editing && (
          <button type="button" className={btn} onClick={p.onEdit}>
            Edit {p.part}
          </button>
        )}
      </div>
      {p.editing ? (
        <div className="space-y-2">
          {p.editor}
          {p.error && (
            <p role="alert" data-testid={`${p.part}-error`} className="text-sm text-red-700">
              {p.error}
            </p>
          )}
          <div className="flex gap-2">
            <button type="button" className={save} disabled={p.pending} onClick={p.onSave}>
              Save {p.part}
            </button>
            <button type="button" className={btn} onClick={p.onCancel}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        p.view
      )}
    </section>
  );
}

export function StoryDescription({ story }: { story: Story }) {
  const { description } = splitBody(story.body);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(description);
  const part = useSavePart(story, () => setEditing(false));
  return (
    <EditablePart
      testId="story-description"
      heading="Description"
      part="description"
      editing={editing}
      onEdit={() => {
        setDraft(description);
        setEditing(true);
      }}
      onSave={() => part.run({ description: draft })}
      onCancel={() => setEditing(false)}
      pending={part.pending}
      error={part.error}
      editor={
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
      }
      view={<div data-testid="story-body">{description ? <Markdown text={description} /> : <p className="text-sm text-slate-500">No description.</p>}</div>}
    />
  );
}

export function StoryCriteria({ story }: { story: Story }) {
  const { criteria, notes } = splitBody(story.body);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<CriterionInput[]>(criteria);
  const part = useSavePart(story, () => setEditing(false));
  const trpc = useTRPC();
  const tick = useMutation(trpc.stories.tick.mutationOptions());
  const canTick = useMe().can("member");
  return (
    <EditablePart
      testId="story-criteria"
      heading={criteria.length ? `Acceptance criteria (${criteria.filter((c) => c.checked).length}/${criteria.length})` : "Acceptance criteria"}
      part="criteria"
      editing={editing}
      onEdit={() => {
        setDraft(criteria);
        setEditing(true);
      }}
      onSave={() => part.run({ criteria: draft })}
      onCancel={() => setEditing(false)}
      pending={part.pending}
      error={part.error}
      editor={
        <CriteriaEditor
          value={draft}
          onChange={(v) => {
            setDraft(v);
            part.clearError();
          }}
          maxLength={STORY_LIMITS.criterion}
        />
      }
      view={
        <>
          {criteria.length === 0 && <p className="text-sm text-slate-500">No acceptance criteria.</p>}
          {criteria.map((c, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a criterion is addressed by its position (stories.tick)
            <label key={index} className="flex items-start gap-2 py-0.5 text-sm">
              <input
                type="checkbox"
                checked={c.checked}
                disabled={!canTick || tick.isPending}
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
      }
    />
  );
}
