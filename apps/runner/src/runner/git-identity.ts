// A run's git identity. Agents, setup and gates run with a HOME of their own, often in a fresh
// clone of a remote: no user.name or user.email anywhere, so a plain `git commit` fails. When git
// (as the run will see it: its env, its cwd) finds none, the run is given one naming it. GIT_AUTHOR_*
// and GIT_COMMITTER_* override git's config, so they are set only for what git does not have, and
// never over what the roster's env sets.
import { execFile } from "node:child_process";

function configured(cwd: string, env: Record<string, string>, key: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile("git", ["config", "--get", key], { cwd, env, timeout: 10_000 }, (err, stdout) => resolve(!err && String(stdout).trim() !== ""));
  });
}

/** `env` plus an identity for `who` ("<who> (Drover)" <who@drover.invalid>) where git in `cwd` has none. */
export async function withGitIdentity(env: Record<string, string>, cwd: string, who: string): Promise<Record<string, string>> {
  const [hasName, hasEmail] = await Promise.all([configured(cwd, env, "user.name"), configured(cwd, env, "user.email")]);
  const out = { ...env };
  if (!hasName) for (const k of ["GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"]) out[k] ??= `${who} (Drover)`;
  if (!hasEmail) for (const k of ["GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"]) out[k] ??= `${who.replace(/[^A-Za-z0-9._-]/g, "-") || "agent"}@drover.invalid`;
  return out;
}
