// The board. Rendered on the server with its cards (no empty columns before the data arrives);
// an unknown ?project= is a 404 page.
import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { dehydrated, getQueryClient, trpcServer } from "@/server/trpc-server";
import { BoardPage } from "./_board/board-page";

// Live data on every request, never prerendered at build time.
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ project?: string | string[] }> };

/** The project the page shows: ?project= when given (404 when unknown), else the first one. */
async function chosenProject({ searchParams }: Props) {
  const asked = (await searchParams).project;
  const projects = await getQueryClient().fetchQuery(trpcServer.views.projects.queryOptions());
  if (asked === undefined) return projects[0];
  return projects.find((p) => String(p.id) === asked) ?? notFound();
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const project = await chosenProject(props);
  // The root layout's title template applies to child segments only; this page is the root's own.
  return { title: { absolute: `${project ? `Board · ${project.name}` : "Board"} · Drover` } };
}

export default async function Page(props: Props) {
  const project = await chosenProject(props);
  if (project) await getQueryClient().prefetchQuery(trpcServer.views.board.queryOptions({ projectId: project.id, includeArchived: false }));
  return (
    <HydrationBoundary state={dehydrated()}>
      <Suspense>
        <BoardPage />
      </Suspense>
    </HydrationBoundary>
  );
}
