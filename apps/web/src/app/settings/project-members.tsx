"use client";
// Who may see a project (admins): with no members it is open to everyone signed in; once it has
// members, only they and admins see it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";
import { refetchFresh } from "@/lib/refetch-fresh";

export function ProjectMembers({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const members = useQuery(trpc.people.projectMembers.queryOptions({ projectId }));
  const refresh = () => refetchFresh(qc, { queryKey: trpc.people.projectMembers.queryKey({ projectId }) });
  const [email, setEmail] = useState("");
  const add = useMutation(
    trpc.people.addToProject.mutationOptions({
      onSuccess: () => {
        setEmail("");
        void refresh();
      },
    }),
  );
  const remove = useMutation(trpc.people.removeFromProject.mutationOptions({ onSuccess: () => void refresh() }));
  const error = add.error ?? remove.error;
  return (
    <section className="rounded border bg-white" data-testid="project-members">
      <h2 className="border-b p-2 font-semibold">Members</h2>
      <div className="space-y-3 p-3 text-sm">
        <p className="text-slate-600">
          {members.data?.length ? "Only these people (and admins) see this project." : "No members: everyone signed in sees this project."}
        </p>
        <ul>
          {members.data?.map((m) => (
            <li key={m.id} className="flex items-center gap-2">
              {m.name} &lt;{m.email}&gt; ({m.role})
              <button type="button" className="text-red-700" onClick={() => remove.mutate({ projectId, userId: m.id })}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate({ projectId, email });
          }}
        >
          <input
            aria-label="Member email"
            className="rounded border px-2 py-1"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder="person@example.com"
          />
          <button type="submit" className="rounded border px-2 py-1" disabled={!email.trim()}>
            Add member
          </button>
        </form>
        {error && (
          <p role="alert" className="text-red-700">
            {errorMessage(error)}
          </p>
        )}
      </div>
    </section>
  );
}
