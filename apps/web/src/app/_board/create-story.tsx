"use client";
// "New story" on the board: the form in a Radix dialog, which traps focus while open and gives
// it back to the "New story" button when it closes (created or cancelled).
import * as Dialog from "@radix-ui/react-dialog";
import { STORY_KINDS, type StoryKindName } from "@drover/core/stories/file";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";

export function CreateStory({ projectId }: { projectId: number }) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState("");
  const [kind, setKind] = useState<StoryKindName>("story");
  const trpc = useTRPC();
  const create = useMutation(
    trpc.stories.create.mutationOptions({
      onSuccess: () => {
        setTitle("");
        setOpen(false);
      },
    }),
  );
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) create.reset();
      }}
    >
      <Dialog.Trigger asChild>
        <button type="button" className="rounded bg-slate-900 px-2 py-1 text-white">
          New story
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-slate-900/30" />
        <Dialog.Content className="fixed left-1/2 top-24 w-[28rem] max-w-[95vw] -translate-x-1/2 rounded border bg-white p-4 shadow-lg">
          <Dialog.Title className="mb-1 text-lg font-semibold">New story</Dialog.Title>
          <Dialog.Description className="mb-3 text-sm text-slate-600">It starts in the backlog.</Dialog.Description>
          <form
            className="flex flex-col gap-3 text-sm"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ projectId, title, kind });
            }}
          >
            <input
              aria-label="New story title"
              required
              className="rounded border px-2 py-1"
              placeholder="Title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
            />
            <select aria-label="New story kind" className="rounded border px-2 py-1" value={kind} onChange={(e) => setKind(e.target.value as StoryKindName)}>
              {STORY_KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
            {create.error && (
              <p className="text-red-700" role="alert">
                {errorMessage(create.error)}
              </p>
            )}
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <button type="button" className="rounded border px-2 py-1">
                  Cancel
                </button>
              </Dialog.Close>
              <button type="submit" className="rounded bg-slate-900 px-2 py-1 text-white" disabled={create.isPending}>
                Create
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
