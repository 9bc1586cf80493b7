"use client";
// The project's activity feed, newest first, live.
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Suspense } from "react";
import { EventText } from "@/components/event-text";
import { Nav, useProjectId } from "@/components/nav";
import { useLiveProject } from "@/lib/live";
import { storyHref } from "@/lib/story-href";
import { useTRPC } from "@/lib/trpc";

function Activity() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  useLiveProject(projectId);
  const feed = useInfiniteQuery({
    ...trpc.views.activity.infiniteQueryOptions(
      { projectId: projectId ?? 0, limit: 100 },
      { initialCursor: undefined, getNextPageParam: (last) => (last.length === 100 ? last[last.length - 1]!.id : undefined) },
    ),
    enabled: !!projectId,
  });
  const rows = feed.data?.pages.flat() ?? [];
  return (
    <>
      <Nav projectId={projectId} />
      <main className="mx-auto max-w-4xl p-4">
        <h1 className="mb-3 text-xl font-semibold">Activity</h1>
        {rows.length === 0 && !feed.isLoading && <p className="text-slate-500">Nothing has happened yet.</p>}
        <ol className="divide-y rounded border bg-white text-sm" data-testid="activity">
          {rows.map((e) => (
            <li key={String(e.id)} className="grid grid-cols-[10rem_9rem_minmax(0,1fr)] gap-3 px-3 py-1.5">
              <time className="text-xs text-slate-500">{new Date(e.at).toLocaleString()}</time>
              {/* Long kinds ("story_moved_by_automation") wrap inside their column instead of spilling. */}
              <span className="break-words text-xs uppercase text-slate-500 [overflow-wrap:anywhere]">{e.kind.replaceAll("_", " ")}</span>
              <EventText event={e}>
                {e.story && (
                  <Link className="underline" href={storyHref(e.projectId, e.story.number)}>
                    #{e.story.number}
                  </Link>
                )}{" "}
                {/* Most messages name their agent already ("coder-1 started on story 2"): not twice. */}
                {e.agentName && !e.message.startsWith(e.agentName) && <span className="mr-1 font-medium">{e.agentName}</span>}
              </EventText>
            </li>
          ))}
        </ol>
        {feed.hasNextPage && (
          <button type="button" className="mt-2 rounded border px-3 py-1 text-sm" onClick={() => feed.fetchNextPage()}>
            Older
          </button>
        )}
      </main>
    </>
  );
}

export default function Page() {
  return (
    <Suspense>
      <Activity />
    </Suspense>
  );
}
