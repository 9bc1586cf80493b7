"use client";
// Archive a project (its agents stop, it leaves the board, its history stays) or remove it from
// Drover after typing its name. Neither touches the repository.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";
import { refetchFresh } from "@/lib/refetch-fresh";

export function ProjectDangerZone({ project }: { project: { id: number; name: string; repoPath: string; archivedAt: Date | string | null } }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const [confirm, setConfirm] = useState("");
  const refresh = () => void refetchFresh(qc, {});
  const archive = useMutation(trpc.projects.archive.mutationOptions({ onSuccess: refresh }));
  const unarchive = useMutation(trpc.projects.unarchive.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(
    trpc.projects.remove.mutationOptions({
      onSuccess: () => {
        refresh();
        router.push("/");
      },
    }),
  );
  const error = archive.error ?? unarchive.error ?? remove.error;
  return (
    <section className="space-y-3 rounded border border-red-200 bg-white p-3 text-sm" data-testid="danger-zone">
      <h2 className="font-semibold text-red-800">Archive or remove</h2>
      {project.archivedAt ? (
        <div className="flex items-center gap-2">
          <span data-testid="project-archived">Archived {new Date(project.archivedAt).toLocaleString()}: off the board, no agents start.</span>
          <button type="button" className="rounded border px-2 py-1" onClick={() => unarchive.mutate({ projectId: project.id })}>
            Unarchive
          </button>
        </div>
      ) : (
        <div className="flex items-center gap-2">
          <span>Stops its agents and takes it off the board; stories, sessions and logs stay.</span>
          <button type="button" className="rounded border px-2 py-1" disabled={archive.isPending} onClick={() => archive.mutate({ projectId: project.id })}>
            Archive project
          </button>
        </div>
      )}
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          remove.mutate({ projectId: project.id, confirm });
        }}
      >
        <p>
          Removing deletes the project&apos;s stories, sessions and logs from Drover. The repository at <code>{project.repoPath}</code> is not touched. Type{" "}
          <strong>{project.name}</strong> to confirm.
        </p>
        <div className="flex gap-2">
          <input
            aria-label="Type the project name to remove it"
            className="flex-1 rounded border px-2 py-1"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
          <button type="submit" className="rounded bg-red-700 px-2 py-1 text-white disabled:opacity-50" disabled={confirm !== project.name || remove.isPending}>
            Remove project
          </button>
        </div>
      </form>
      {error && (
        <p role="alert" className="text-red-700">
          {errorMessage(error)}
        </p>
      )}
    </section>
  );
}
