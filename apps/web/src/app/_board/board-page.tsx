"use client";
// The board page's browser part: the top bar, the no-projects hint, and the board of the chosen project.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Nav, useProjectId } from "@/components/nav";
import { useTRPC } from "@/lib/trpc";
import { Board } from "./board";

export function BoardPage() {
  const trpc = useTRPC();
  const projects = useQuery(trpc.views.projects.queryOptions());
  const projectId = useProjectId();
  return (
    <>
      <Nav projectId={projectId} />
      <main>
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
      </main>
    </>
  );
}
