"use client";
// "New story": a Radix Dialog (focus trapped inside, Escape closes, focus returns to the button)
// asking for everything a story needs: title, kind, description, criteria, dependencies, pin.
import { STORY_KINDS, type StoryKindName } from "@drover/core/stories/file";
import type { CriterionInput } from "@drover/core/stories/body-parts";
import { createStoryInput, STORY_LIMITS } from "@drover/db/services/story-input";
import { checkInput } from "@drover/db/services/validate";
import * as Dialog from "@radix-ui/react-dialog";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { AgentPicker } from "@/components/agent-picker";
import { CriteriaEditor } from "@/components/criteria-editor";
import { MarkdownEditor } from "@/components/markdown-editor";
import { StoryPicker } from "@/components/story-picker";
import { errorMessage } from "@/lib/error-message";
import { storyHref } from "@/lib/story-href";
import { useTRPC } from "@/lib/trpc";

const EMPTY = { title: "", kind: "story" as StoryKindName, description: "", criteria: [] as CriterionInput[], dependsOn: [] as number[], agent: "" };

export function NewStoryDialog({ projectId }: { projectId: number }) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [openAfter, setOpenAfter] = useState(false);
  const router = useRouter();
  const trpc = useTRPC();
  const create = useMutation(trpc.stories.create.mutationOptions());
  // Any edit clears the last error: it may no longer hold.
  const edit = <K extends keyof typeof EMPTY>(key: K, value: (typeof EMPTY)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setError(null);
  };
  const submit = () => {
    const checked = checkInput(createStoryInput, { projectId, ...form, agent: form.agent || null });
    if (!checked.ok) return setError(checked.error);
    create.mutate(checked.data, {
      onError: (err) => setError(errorMessage(err)),
      onSuccess: (story) => {
        setOpen(false);
        setForm(EMPTY);
        if (openAfter) router.push(storyHref(projectId, story.number));
      },
    });
  };
  const field = "w-full rounded border px-2 py-1";
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        setError(null);
      }}
    >
      <Dialog.Trigger className="rounded bg-slate-900 px-2 py-1 text-white">New story</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/30" />
        <Dialog.Content className="fixed left-1/2 top-8 z-50 max-h-[90vh] w-[min(44rem,95vw)] -translate-x-1/2 overflow-auto rounded bg-white p-4 text-sm shadow-xl">
          <Dialog.Title className="mb-1 text-lg font-semibold">New story</Dialog.Title>
          <Dialog.Description className="mb-3 text-slate-500">It starts in the backlog.</Dialog.Description>
          <form
            className="space-y-3"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <div className="flex gap-2">
              <label className="flex-1">
                Title
                <input
                  aria-label="New story title"
                  className={field}
                  maxLength={STORY_LIMITS.title}
                  value={form.title}
                  onChange={(e) => edit("title", e.target.value)}
                  aria-describedby={error ? "new-story-error" : undefined}
                />
              </label>
              <label>
                Kind
                <select className={field} value={form.kind} onChange={(e) => edit("kind", e.target.value as StoryKindName)}>
                  {STORY_KINDS.map((k) => (
                    <option key={k}>{k}</option>
                  ))}
                </select>
              </label>
            </div>
            <MarkdownEditor
              label="Description"
              showLabel
              value={form.description}
              onChange={(v) => edit("description", v)}
              maxLength={STORY_LIMITS.description}
              placeholder="As a …, I want …, so that …"
            />
            <CriteriaEditor value={form.criteria} onChange={(v) => edit("criteria", v)} maxLength={STORY_LIMITS.criterion} />
            <div className="grid grid-cols-2 gap-3">
              <div>
                <span className="block">Depends on</span>
                <StoryPicker projectId={projectId} value={form.dependsOn} onChange={(v) => edit("dependsOn", v)} label="Pick stories" />
              </div>
              <div>
                <span className="block">Agent pin</span>
                <AgentPicker projectId={projectId} label="Agent pin" value={form.agent} onChange={(v) => edit("agent", v)} />
              </div>
            </div>
            {error && (
              <p id="new-story-error" role="alert" data-testid="new-story-error" className="text-red-700">
                {error}
              </p>
            )}
            <div className="flex items-center gap-2">
              <button type="submit" className="rounded bg-slate-900 px-3 py-1 text-white disabled:opacity-50" disabled={create.isPending}>
                Create
              </button>
              <Dialog.Close className="rounded border px-3 py-1">Cancel</Dialog.Close>
              <label className="ml-auto flex items-center gap-1 text-xs">
                <input type="checkbox" checked={openAfter} onChange={(e) => setOpenAfter(e.target.checked)} /> Open it after creating
              </label>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
