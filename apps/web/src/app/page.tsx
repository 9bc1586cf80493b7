"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Suspense } from "react";
import { Nav, useProjectId } from "@/components/nav";
import { useTRPC } from "@/lib/trpc";
import { Board } from "./_board/board";

function BoardPage() {
  const trpc = useTRPC();
  const projects = useQuery(trpc.views.projects.queryOptions());
  const projectId = useProjectId();
  return (
    <>
      <Nav projectId={projectId} />
      {projects.data && projects.data.length === 0 && (
        <p className="p-6">
          No projects yet.{" "}
          <Link className="underline" href="/projects/new">
            Add one
          </Link>
          .
        </p>
      )}
      {projectId && <Board key={projectId} projectId={projectId} />}
    </>
  );
}

export default function Page() {
  return (
    <Suspense>
      <BoardPage />
    </Suspense>
  );
}
