// Git against a project's remote, from this runner's own clone of it: clone, fetch, bring the base
// and a story branch up to the remote's, push without force, and ask the remote what a branch holds.
// Credentials come from the environment given (SSH agent, credential helper in HOME) or a token
// passed as an HTTP header through git's environment: never in a URL, an argument or a message.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REMOTE_PROTOCOLS } from "@drover/core/config/remote-url";
import { buildGitEnv } from "@drover/repo/git";
import { commitIdentityArgs, isAncestor, revParse, uncommittedFiles, worktrees } from "../automation/git.ts";

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git with argv only (no shell) in `cwd`; never rejects: the caller reads the exit code. */
export function runGit(cwd: string, args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code as number) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** What git needs to reach a remote: the allow-listed base, the SSH agent, proxies and CA, plus an optional token header. */
export function remoteGitEnv(runnerEnv: NodeJS.ProcessEnv, token?: string): Record<string, string> {
  const env = buildGitEnv(runnerEnv);
  for (const k of [
    "SSH_AUTH_SOCK",
    "GIT_SSH_COMMAND",
    "GIT_SSL_CAINFO",
    "SSL_CERT_FILE",
    "https_proxy",
    "HTTPS_PROXY",
    "http_proxy",
    "HTTP_PROXY",
    "no_proxy",
    "NO_PROXY",
  ])
    if (runnerEnv[k]) env[k] = runnerEnv[k]!;
  // Never wait for a password on a terminal nobody watches; no transport beyond the plain ones.
  env.GIT_TERMINAL_PROMPT = "0";
  env.GIT_ALLOW_PROTOCOL = REMOTE_PROTOCOLS;
  if (token) {
    env.GIT_CONFIG_COUNT = "1";
    env.GIT_CONFIG_KEY_0 = "http.extraHeader";
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
  }
  return env;
}

class RemoteGitError extends Error {}

function failure(what: string, r: GitResult): RemoteGitError {
  const text = (r.stderr || r.stdout).trim().split("\n").slice(-6).join("\n");
  return new RemoteGitError(`${what} failed (exit ${r.code}): ${text}`);
}

async function must(cwd: string, args: string[], env: Record<string, string>, what: string): Promise<string> {
  const r = await runGit(cwd, args, env);
  if (r.code !== 0) throw failure(what, r);
  return r.stdout;
}

/**
 * Clones `url` into `dir` the first time, else fetches (pruning deleted branches), then checks the
 * base out in the clone's main checkout at the remote's commit. Returns that commit (null: the
 * remote has no such branch yet).
 */
export async function syncClone(dir: string, url: string, baseBranch: string, env: Record<string, string>): Promise<string | null> {
  if (!fs.existsSync(path.join(dir, ".git"))) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.rmSync(dir, { recursive: true, force: true }); // a clone cut off half-way is started again
    await must(path.dirname(dir), ["clone", "--no-checkout", "--origin", "origin", "--", url, dir], env, `git clone of ${url}`);
  } else {
    const current = (await runGit(dir, ["remote", "get-url", "origin"], env)).stdout.trim();
    if (current !== url) await must(dir, ["remote", "set-url", "origin", "--", url], env, "git remote set-url");
    await must(dir, ["fetch", "--prune", "--quiet", "origin"], env, `git fetch from ${url}`);
  }
  const base = await revParse(dir, `refs/remotes/origin/${baseBranch}`);
  if (!base) return null;
  // The clone's main checkout belongs to the runner: it mirrors the remote base, nothing else lands there.
  await must(dir, ["checkout", "-q", "-f", "-B", baseBranch, base], env, `git checkout of ${baseBranch}`);
  return base;
}

/**
 * Brings the local story branch up to what the remote holds (another host may have pushed more):
 * created from it when missing here, fast-forwarded when behind. Returns what happened, for the log.
 */
export async function catchUpBranch(
  dir: string,
  branch: string,
  env: Record<string, string>,
): Promise<"none" | "created" | "fast-forwarded" | "current" | "ahead" | "diverged"> {
  const remote = await revParse(dir, `refs/remotes/origin/${branch}`);
  if (!remote) return "none";
  const local = await revParse(dir, `refs/heads/${branch}`);
  if (!local) {
    await must(dir, ["branch", "--no-track", "--", branch, remote], env, `git branch ${branch}`);
    return "created";
  }
  if (local === remote) return "current";
  if (await isAncestor(dir, remote, local)) return "ahead";
  if (!(await isAncestor(dir, local, remote))) return "diverged";
  const holder = (await worktrees(dir)).find((w) => w.branch === branch)?.path;
  if (holder) await must(holder, ["merge", "--ff-only", "-q", remote], env, `fast-forward of ${branch}`);
  else await must(dir, ["update-ref", `refs/heads/${branch}`, remote, local], env, `fast-forward of ${branch}`);
  return "fast-forwarded";
}

/** What reconciling a story branch with the remote did (see reconcileBranch). */
export type BranchReconcile =
  | { state: "none" | "created" | "fast-forwarded" | "current" }
  | { state: "pushed" }
  | { state: "ahead"; message: string }
  | { state: "diverged"; remote: string; backup: string; kept: number; uncommitted: boolean; backupPushed: boolean; message?: string };

/** Where a diverged branch's own commits are kept: `drover/backup/<story dir>/<commit>` (one per state kept, so never overwritten). */
const backupBranchName = (branch: string, commit: string) => `drover/backup/${branch.replace(/^drover\//, "")}/${commit.slice(0, 12)}`;

/**
 * catchUpBranch, then settles what it leaves: a branch only this host moved on is pushed (another
 * host may go on from it); one that moved here and on the remote (this host was cut off while
 * another carried the story on) takes the remote's commits, the truth every host shares, and keeps
 * this host's own commits (and uncommitted work of its worktree) on a backup branch, pushed to the
 * remote. Never forced, nothing lost.
 */
export async function reconcileBranch(dir: string, branch: string, env: Record<string, string>): Promise<BranchReconcile> {
  const state = await catchUpBranch(dir, branch, env);
  if (state === "ahead") {
    const pushed = await pushRef(dir, `refs/heads/${branch}`, branch, env);
    return pushed.ok ? { state: "pushed" } : { state: "ahead", message: pushed.message };
  }
  if (state !== "diverged") return { state };
  const remote = (await revParse(dir, `refs/remotes/origin/${branch}`))!;
  const local = (await revParse(dir, `refs/heads/${branch}`))!;
  const holder = (await worktrees(dir)).find((w) => w.branch === branch)?.path;
  // Tracked changes a cut-off session left uncommitted ride along as a stash commit on top of the local head.
  const dirty = holder ? (await uncommittedFiles(holder)).length > 0 : false;
  const stash = dirty
    ? (
        await must(holder!, [...(await commitIdentityArgs(holder!)), "stash", "create", `drover: uncommitted work on ${branch}`], env, "git stash create")
      ).trim()
    : "";
  const keep = stash || local;
  const kept = Number((await must(dir, ["rev-list", "--count", `${remote}..${local}`], env, "git rev-list")).trim());
  const backup = backupBranchName(branch, keep);
  // Kept locally first: a backup the remote refuses still survives on this host.
  await must(dir, ["update-ref", `refs/heads/${backup}`, keep], env, `git update-ref ${backup}`);
  const pushed = await pushRef(dir, keep, backup, env);
  if (holder) await must(holder, ["reset", "-q", "--hard", remote], env, `reset of ${branch} to the remote's`);
  else await must(dir, ["update-ref", `refs/heads/${branch}`, remote, local], env, `reset of ${branch} to the remote's`);
  return { state: "diverged", remote, backup, kept, uncommitted: stash !== "", backupPushed: pushed.ok, ...(pushed.ok ? {} : { message: pushed.message }) };
}

export type PushResult = { ok: true } | { ok: false; moved: true; message: string } | { ok: false; moved: false; message: string };

/**
 * Pushes `source` (a commit or local ref) to the remote branch, never forced: a remote that moved
 * answers `moved` (fetch and try again); a refusal (hook, protected branch) or an unreachable
 * remote answers with git's and the remote's own words.
 */
export async function pushRef(dir: string, source: string, branch: string, env: Record<string, string>): Promise<PushResult> {
  // --no-verify: the runner's push runs no hook of the repository's.
  const r = await runGit(dir, ["push", "--no-verify", "--porcelain", "origin", `${source}:refs/heads/${branch}`], env);
  if (r.code === 0) return { ok: true };
  const line = r.stdout.split("\n").find((l) => l.startsWith("!")) ?? "";
  const remoteSaid = r.stderr
    .split("\n")
    .filter((l) => l.startsWith("remote:"))
    .map((l) => l.replace(/^remote:\s*/, "").trim())
    .filter(Boolean);
  if (/\[rejected\].*\((fetch first|non-fast-forward)\)/.test(line)) return { ok: false, moved: true, message: `the remote ${branch} moved meanwhile` };
  const why = /\[remote rejected\] \((.+)\)/.exec(line)?.[1] ?? /\[rejected\] \((.+)\)/.exec(line)?.[1];
  const detail = remoteSaid.length ? `; the remote said: ${remoteSaid.join(" / ").slice(0, 500)}` : "";
  if (why) return { ok: false, moved: false, message: `the remote refused the push to ${branch} (${why})${detail}` };
  return { ok: false, moved: false, message: failure(`git push to ${branch}`, r).message };
}

/** The commit the remote's branch points at now, asked of the remote itself (null: no such branch). */
export async function remoteHead(dir: string, branch: string, env: Record<string, string>): Promise<string | null> {
  const out = await must(dir, ["ls-remote", "origin", `refs/heads/${branch}`], env, "git ls-remote");
  return out.split("\t")[0]?.trim() || null;
}

/** Whether the remote's branch contains `commit`: asked of the remote, then fetched to check ancestry. */
export async function remoteContains(dir: string, branch: string, commit: string, env: Record<string, string>): Promise<boolean> {
  const head = await remoteHead(dir, branch, env);
  if (!head) return false;
  if (head === commit) return true;
  await must(dir, ["fetch", "--quiet", "origin", `+refs/heads/${branch}:refs/remotes/origin/${branch}`], env, `git fetch of ${branch}`);
  return isAncestor(dir, commit, head);
}

/** Deletes a branch on the remote (after a merge; one it never had is fine); a failure is returned for the log, never thrown. */
export async function deleteRemoteBranch(dir: string, branch: string, env: Record<string, string>): Promise<string | null> {
  const r = await runGit(dir, ["push", "--no-verify", "origin", "--delete", `refs/heads/${branch}`], env);
  if (r.code === 0 || /remote ref does not exist/.test(r.stderr)) return null;
  return failure(`deleting ${branch} on the remote`, r).message;
}
