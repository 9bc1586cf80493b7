"use client";
// Add a project by the path of its git repository on the runner host, by git remote URL
// (RemoteProjectForm), or import a storkit tree.
// A runner that has the repository checks and reads it (the web has none) and its answer is shown.
// A repository without a roster is offered a starting one (StarterRosterOffer) before it is added.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Suspense, useState } from "react";
import { AddError } from "@/components/add-project-error";
import { Nav } from "@/components/nav";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";
import { RemoteProjectForm } from "./remote-project-form";
import { StarterRosterOffer, type RosterOffer } from "./starter-roster-offer";

function AddProject() {
  const router = useRouter();
  const [path, setPath] = useState("");
  const [name, setName] = useState("");
  const [mode, setMode] = useState<"add" | "import" | "remote">("add");
  const trpc = useTRPC();
  const go = (id: number) => router.push(`/?project=${id}`);
  const add = useMutation(trpc.projects.add.mutationOptions({ onSuccess: (r) => go(r.project.id) }));
  const imp = useMutation(trpc.imports.storkit.mutationOptions({ onSuccess: (r) => go(r.projectId) }));
  const m = mode === "import" ? imp : add;
  const queryClient = useQueryClient();
  const [offer, setOffer] = useState<RosterOffer | null>(null);
  const [offerError, setOfferError] = useState<string | null>(null);
  /** The roster offer is being asked of a runner that has the repository (the web has none). */
  const [checking, setChecking] = useState(false);
  const input = () => ({ repoPath: path.trim(), name: name.trim() || undefined });
  return (
    <>
      <Nav />
      <main className="mx-auto max-w-2xl p-4">
        <h1 className="mb-3 text-xl font-semibold">Add a project</h1>
        <div className="mb-2 flex gap-4 text-sm">
          <label className="flex items-center gap-1">
            <input type="radio" checked={mode !== "remote"} onChange={() => setMode("add")} /> Local path on a runner host
          </label>
          <label className="flex items-center gap-1">
            <input type="radio" checked={mode === "remote"} onChange={() => setMode("remote")} /> Git remote URL + base branch
          </label>
        </div>
        {mode === "remote" ? (
          <div className="rounded border bg-white p-4">
            <RemoteProjectForm />
          </div>
        ) : (
          <form
            className="space-y-3 rounded border bg-white p-4 text-sm"
            onSubmit={(e) => {
              e.preventDefault();
              setOfferError(null);
              if (mode === "import") return imp.mutate(input());
              // No roster in the repository: show the starting one first.
              setChecking(true);
              queryClient
                .fetchQuery(trpc.onboarding.rosterOffer.queryOptions({ repoPath: path.trim(), runtime: "claude-code" }))
                .then(
                  (o) => (o.roster === "exists" ? add.mutate(input()) : setOffer({ ...o, runtime: "claude-code" })),
                  (err) => setOfferError(errorMessage(err)),
                )
                .finally(() => setChecking(false));
            }}
          >
            <div className="flex gap-4">
              <label className="flex items-center gap-1">
                <input type="radio" checked={mode === "add"} onChange={() => setMode("add")} /> Git repository with .drover/project.toml
              </label>
              <label className="flex items-center gap-1">
                <input type="radio" checked={mode === "import"} onChange={() => setMode("import")} /> Import a storkit tree (.storkit/)
              </label>
            </div>
            <label className="block">
              Path on the runner host
              <input
                aria-label="Repository path"
                required
                className="w-full rounded border px-2 py-1 font-mono"
                placeholder="/home/me/src/my-app"
                value={path}
                onChange={(e) => setPath(e.target.value)}
              />
            </label>
            <label className="block">
              Name (optional)
              <input aria-label="Project name" className="w-full rounded border px-2 py-1" value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <button type="submit" className="rounded bg-slate-900 px-3 py-1 text-white" disabled={m.isPending || checking}>
              {mode === "add" ? "Add project" : "Import"}
            </button>
            {(m.isPending || checking) && (
              <p className="text-slate-500" data-testid="asking-runner">
                Asking a runner that has this repository…
              </p>
            )}
            {(m.error || offerError) && <AddError message={offerError ?? errorMessage(m.error)} />}
          </form>
        )}
        {offer && mode === "add" && (
          <StarterRosterOffer repoPath={path.trim()} offer={offer} onChange={setOffer} onAdd={() => add.mutate(input())} adding={add.isPending} />
        )}
      </main>
    </>
  );
}

export default function Page() {
  return (
    <Suspense>
      <AddProject />
    </Suspense>
  );
}
