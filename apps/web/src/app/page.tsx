// The board. Rendered on the server with its cards (no empty columns before the data arrives);
// an unknown ?project= is a 404 page.
import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { dehydrated, getQueryClient, trpcServer } from "@/server/trpc-server";
import { BoardPage } from "./_board/board-page";

type Props = { searchParams: Promise<{ project?: string | string[] }> };

/** The project the page shows: ?project= when given (404 when unknown), else the first one. */
async function chosenProject({ searchParams }: Props) {
  const projects = await getQueryClient().fetchQuery(trpcServer.views.projects.queryOptions());
  const asked = (await searchParams).project;
  if (asked === undefined) return projects[0];
  return projects.find((p) => String(p.id) === asked) ?? notFound();
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const project = await chosenProject(props);
  return { title: project ? `Board · ${project.name}` : "Board" };
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
