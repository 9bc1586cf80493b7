"use client";
// The starting roster offered for a repository without one (what `drover init` writes): shown first,
// then written as .drover/project.toml, uncommitted, for the person to review and commit.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { RUNTIMES, type RuntimeName } from "@drover/core/config/types";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";

export interface RosterOffer {
  runtime: RuntimeName;
  file: string;
  text: string;
  gates: string[];
  baseBranch: string | null;
}

export function StarterRosterOffer(props: { repoPath: string; offer: RosterOffer; onChange(o: RosterOffer): void; onAdd(): void; adding: boolean }) {
  const { repoPath, offer } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const write = useMutation(trpc.onboarding.writeStarterRoster.mutationOptions({ onSuccess: () => props.onAdd() }));
  const pick = (runtime: RuntimeName) =>
    void queryClient.fetchQuery(trpc.onboarding.rosterOffer.queryOptions({ repoPath, runtime })).then((o) => {
      if (o.roster === "missing") props.onChange({ ...o, runtime });
    });
  return (
    <section className="mt-4 space-y-2 rounded border bg-white p-4 text-sm" data-testid="starter-roster-offer">
      <h2 className="font-semibold">This repository has no roster yet</h2>
      <p>
        Drover can write this starting <code>{offer.file}</code> (a coder, a QA agent and a mergemaster;{" "}
        {offer.gates.length ? `gates found: ${offer.gates.join(", ")}` : "no test command found"}). It is written uncommitted: review it, then commit it
        yourself.
      </p>
      <label className="flex items-center gap-2">
        Runtime
        <select aria-label="Runtime" className="rounded border px-2 py-1" value={offer.runtime} onChange={(e) => pick(e.target.value as RuntimeName)}>
          {RUNTIMES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <pre className="max-h-96 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs" data-testid="starter-roster">
        {offer.text}
      </pre>
      <div className="flex gap-2">
        <button
          type="button"
          className="rounded bg-slate-900 px-3 py-1 text-white"
          disabled={write.isPending || props.adding}
          onClick={() => write.mutate({ repoPath, runtime: offer.runtime })}
        >
          Write this roster and add the project
        </button>
        <button type="button" className="rounded border px-3 py-1" disabled={props.adding} onClick={props.onAdd}>
          Add without a roster
        </button>
      </div>
      {write.error && (
        <p role="alert" className="text-red-700">
          {errorMessage(write.error)}
        </p>
      )}
    </section>
  );
}
