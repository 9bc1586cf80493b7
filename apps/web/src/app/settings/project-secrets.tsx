"use client";
// A project's secrets: set or replace (the value goes to the server and never comes back), list
// names with dates, remove. The roster refers to one as env = { KEY = "secret:<name>" }.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";
import { refetchFresh } from "@/lib/refetch-fresh";

export function ProjectSecrets({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.secrets.list.queryOptions({ projectId }));
  const refresh = () => refetchFresh(qc, { queryKey: trpc.secrets.list.queryKey({ projectId }) });
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const set = useMutation(
    trpc.secrets.set.mutationOptions({
      onSuccess: () => {
        setValue(""); // the value is not kept in the page once stored
        setName("");
        void refresh();
      },
    }),
  );
  const remove = useMutation(trpc.secrets.remove.mutationOptions({ onSuccess: () => void refresh() }));
  const error = set.error ?? remove.error;
  return (
    <section className="rounded border bg-white" data-testid="project-secrets">
      <h2 className="border-b p-2 font-semibold">Secrets</h2>
      <div className="space-y-3 p-3 text-sm">
        <p className="text-slate-600">
          Stored encrypted, never shown again. Refer to one in the roster as{" "}
          <code>
            env = {"{"} OPENAI_API_KEY = &quot;secret:name&quot; {"}"}
          </code>
          .
        </p>
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            set.mutate({ projectId, name: name.trim(), value });
          }}
        >
          <label className="flex flex-col">
            Name
            <input className="rounded border px-2 py-1 font-mono" value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
          </label>
          <label className="flex flex-col">
            Value
            <input
              className="rounded border px-2 py-1 font-mono"
              type="password"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              required
              autoComplete="new-password"
            />
          </label>
          <button type="submit" className="rounded border px-3 py-1" disabled={set.isPending}>
            Save secret
          </button>
        </form>
        {set.data?.keyCreated && <p className="text-slate-600">Created the encryption key ({set.data.keyCreated}); back it up.</p>}
        {error && (
          <p role="alert" className="text-red-700">
            {errorMessage(error)}
          </p>
        )}
        {list.data && list.data.length === 0 && <p className="text-slate-500">No secrets yet.</p>}
        {list.data && list.data.length > 0 && (
          <ul className="divide-y rounded border">
            {list.data.map((s) => (
              <li key={s.name} className="flex items-center justify-between p-2" data-testid="secret-row">
                <span>
                  <code>{s.name}</code> <span className="text-slate-500">updated {new Date(s.updatedAt).toLocaleString()}</span>
                </span>
                <button type="button" className="rounded border px-2 py-0.5" onClick={() => remove.mutate({ projectId, name: s.name })}>
                  Remove {s.name}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
