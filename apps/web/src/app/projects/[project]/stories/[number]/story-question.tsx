"use client";
// An agent's open question (MCP ask_human): shown above the story while it waits; a member answers
// here, which unblocks the story and resumes the agent's session with the answer.
import type { RouterOutputs } from "@drover/api";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorMessage } from "@/lib/error-message";
import { useMe } from "@/lib/me";
import { useTRPC } from "@/lib/trpc";

type Story = RouterOutputs["views"]["storyAt"];

export function StoryQuestion({ story }: { story: Story }) {
  const trpc = useTRPC();
  const router = useRouter();
  const canAct = useMe().can("member");
  const [answer, setAnswer] = useState("");
  const [error, setError] = useState<string | null>(null);
  const send = useMutation(trpc.stories.answer.mutationOptions({ onSuccess: (s) => router.push(`/sessions/${s.id}`) }));
  if (!story.inputQuestion) return null;
  const asker = story.sessions.find((x) => x.id === story.inputSessionId)?.agentName;
  return (
    <section className="mb-4 rounded border border-amber-300 bg-amber-50 p-4 text-sm" data-testid="story-question">
      <h2 className="font-semibold text-amber-900">Needs input{asker ? ` from ${asker}` : ""}</h2>
      <p className="mt-1 whitespace-pre-wrap" data-testid="story-question-text">
        {story.inputQuestion}
      </p>
      {canAct && (
        <form
          className="mt-2 space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            send.mutate({ projectId: story.projectId, storyNumber: story.number, answer }, { onError: (err) => setError(errorMessage(err)) });
          }}
        >
          <textarea aria-label="Your answer" className="w-full rounded border px-2 py-1" rows={3} value={answer} onChange={(e) => setAnswer(e.target.value)} />
          <button type="submit" className="rounded bg-slate-900 px-2 py-1 text-white disabled:opacity-50" disabled={send.isPending || !answer.trim()}>
            Answer and resume
          </button>
          {error && <p className="text-red-700">{error}</p>}
        </form>
      )}
    </section>
  );
}
