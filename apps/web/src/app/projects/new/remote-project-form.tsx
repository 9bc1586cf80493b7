"use client";
// Add a project by git remote URL and base branch: a runner clones it, checks the base branch and
// the roster there, and adds it; its answer (which host, the base commit, the roster) is shown. A
// private HTTPS remote's token goes with the request (sealed) and becomes the project's secret.
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { AddError } from "@/components/add-project-error";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";

export function RemoteProjectForm() {
  const trpc = useTRPC();
  const [url, setUrl] = useState("");
  const [base, setBase] = useState("main");
  const [name, setName] = useState("");
  const [secret, setSecret] = useState("");
  const [token, setToken] = useState("");
  const add = useMutation(trpc.projects.addRemote.mutationOptions());
  const r = add.data;
  return (
    <form
      className="space-y-3 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate(
          {
            remoteUrl: url.trim(),
            baseBranch: base.trim(),
            name: name.trim() || undefined,
            remoteSecret: secret.trim() || undefined,
            remoteToken: token.trim() || undefined,
          },
          { onSuccess: () => setToken("") },
        );
      }}
    >
      <label className="block">
        Git remote URL (no credentials in it)
        <input
          aria-label="Remote URL"
          required
          className="w-full rounded border px-2 py-1 font-mono"
          placeholder="git@github.com:me/my-app.git"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      </label>
      <label className="block">
        Base branch
        <input aria-label="Base branch" required className="w-full rounded border px-2 py-1 font-mono" value={base} onChange={(e) => setBase(e.target.value)} />
      </label>
      <label className="block">
        Name (optional)
        <input aria-label="Project name" className="w-full rounded border px-2 py-1" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <fieldset className="space-y-2 rounded border p-2">
        <legend className="px-1">HTTPS token (optional: for a private https:// remote; SSH remotes use the runner's SSH agent)</legend>
        <label className="block">
          Token
          <input
            aria-label="Remote token"
            type="password"
            autoComplete="off"
            className="w-full rounded border px-2 py-1 font-mono"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </label>
        <label className="block">
          Keep it as the project secret named
          <input
            aria-label="Remote secret name"
            className="w-full rounded border px-2 py-1 font-mono"
            placeholder={token ? "GIT_TOKEN" : ""}
            required={token.trim() !== ""}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </label>
        <p className="text-slate-500">
          The runner checks the remote with the token; it is stored (encrypted) as the project's secret only once the project is added. With a name and no
          token, set the secret on the project's Secrets page afterwards.
        </p>
      </fieldset>
      <button type="submit" className="rounded bg-slate-900 px-3 py-1 text-white" disabled={add.isPending}>
        Add remote project
      </button>
      {add.isPending && (
        <p className="text-slate-500" data-testid="asking-runner">
          Asking a runner to fetch the remote…
        </p>
      )}
      {add.error && <AddError message={errorMessage(add.error)} />}
      {r && (
        <div className="rounded border border-green-300 bg-green-50 p-2" data-testid="remote-answer">
          <p>
            Added <strong>{r.project.name}</strong>: runner on <span className="font-mono">{r.host}</span> read{" "}
            <span className="font-mono">{r.rosterFile ?? "no roster"}</span> at commit <span className="font-mono">{r.baseCommit.slice(0, 12)}</span> of{" "}
            {r.project.baseBranch}.
          </p>
          <p>
            Agents: {r.sync.added.length ? r.sync.added.join(", ") : "none"}
            {r.warnings.length > 0 && ` (warnings: ${r.warnings.join("; ")})`}
          </p>
          <Link className="underline" href={`/?project=${r.project.id}`}>
            Open its board
          </Link>
        </div>
      )}
    </form>
  );
}
