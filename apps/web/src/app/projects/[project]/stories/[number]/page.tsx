"use client";
// A story, addressed by project and number: each part once (title, description, criteria),
// the actions that fit its state, its sessions and its change.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { Suspense } from "react";
import { Nav } from "@/components/nav";
import { useLiveProject } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";
import { FrontMatterForm } from "./front-matter";
import { StoryActions } from "./story-actions";
import { StoryActivity } from "./story-activity";
import { StoryChanges } from "./story-changes";
import { storyAtInput } from "./story-address";
import { StoryLifecycle } from "./story-lifecycle";
import { StoryQuestion } from "./story-question";
import { StorySessions } from "./story-sessions";
import { StoryCriteria, StoryDescription } from "./story-text";

function StoryPage() {
  const params = useParams<{ project: string; number: string }>();
  const trpc = useTRPC();
  const story = useQuery(trpc.views.storyAt.queryOptions(storyAtInput(params)));
  useLiveProject(story.data?.projectId);
  if (story.error) return <p className="p-6 text-red-700">{story.error.message}</p>;
  if (!story.data) return <p className="p-6">Loading…</p>;
  const s = story.data;
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
          <StoryQuestion story={s} />
          {/* Keyed by the body: a change made elsewhere resets a part that is not being edited. */}
          <StoryDescription key={`d${s.body}`} story={s} />
          <StoryCriteria key={`c${s.body}`} story={s} />
          <StorySessions sessions={s.sessions} />
          <StoryActivity events={s.events} />
          <StoryChanges storyId={s.id} />
        </div>
        <aside className="space-y-4">
          <StoryLifecycle story={s} />
          <StoryActions story={s} />
          <FrontMatterForm key={String(s.updatedAt)} story={s} />
        </aside>
      </main>
    </>
  );
}

export default function Page() {
  return (
    <Suspense>
      <StoryPage />
    </Suspense>
  );
}
