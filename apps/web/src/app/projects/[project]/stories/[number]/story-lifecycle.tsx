"use client";
// The lifecycle a person controls on the story page: a story held by a Stop (who stopped it, and
// Release), and a blocked story's way on: unblock and resume the last session with context (the
// same form as resume), or unblock only.
import { useMutation } from "@tanstack/react-query";
import { HeldBadge } from "@/components/held-badge";
import { errorMessage } from "@/lib/error-message";
import { useMe } from "@/lib/me";
import { useTRPC } from "@/lib/trpc";
import { ResumeForm } from "@/app/sessions/[id]/resume-form";

interface LifecycleStory {
  projectId: number;
  number: number;
  blocked: boolean;
  heldBy: string | null;
  heldAt: Date | string | null;
  sessions: Array<{ id: number; agentName: string; status: string; canResume: boolean }>;
}

export function StoryLifecycle({ story }: { story: LifecycleStory }) {
  const trpc = useTRPC();
  const release = useMutation(trpc.stories.release.mutationOptions());
  const unblock = useMutation(trpc.stories.unblock.mutationOptions());
  // Viewers see the hold and the block, not the ways out (the server refuses them too).
  const canAct = useMe().can("member");
  const key = { projectId: story.projectId, storyNumber: story.number };
  const last = story.sessions[0]; // newest first
  const lastEnded = last && last.status !== "pending" && last.status !== "running" ? last : undefined;
  if (!story.heldBy && !story.blocked) return null;
  return (
    <section className="space-y-3 rounded border border-amber-200 bg-amber-50 p-4 text-sm" data-testid="story-lifecycle">
      {story.heldBy && (
        <div className="flex items-center gap-2">
          <HeldBadge heldBy={story.heldBy} heldAt={story.heldAt} />
          {canAct && (
            <button type="button" className="ml-auto rounded border bg-white px-2 py-1" disabled={release.isPending} onClick={() => release.mutate(key)}>
              Release
            </button>
          )}
        </div>
      )}
      {story.heldBy && <p className="text-xs text-slate-600">Auto-assign leaves this story alone until someone resumes, restarts or releases it.</p>}
      {story.blocked && canAct && (
        <div className="space-y-2">
          {lastEnded ? (
            <ResumeForm
              sessionId={lastEnded.id}
              projectId={story.projectId}
              storyNumber={story.number}
              agentName={lastEnded.agentName}
              canResume={lastEnded.canResume}
              unblock
            />
          ) : null}
          <button type="button" className="rounded border bg-white px-2 py-1" disabled={unblock.isPending} onClick={() => unblock.mutate(key)}>
            Unblock only
          </button>
        </div>
      )}
      {(release.error ?? unblock.error) && (
        <p role="alert" className="text-red-700">
          {errorMessage(release.error ?? unblock.error)}
        </p>
      )}
    </section>
  );
}
