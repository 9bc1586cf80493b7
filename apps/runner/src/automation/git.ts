// Small git helpers over simple-git for the pipeline (uncommitted-changes check, branch lookups).
import { execFile } from "node:child_process";
import { simpleGit, type SimpleGit } from "simple-git";
import { buildGitEnv } from "@drover/repo/git";

export function git(cwd: string): SimpleGit {
  return simpleGit({ baseDir: cwd, maxConcurrentProcesses: 2 }).env(buildGitEnv());
}

/** Files with uncommitted changes (modified, staged, untracked but not ignored). */
export async function uncommittedFiles(cwd: string): Promise<string[]> {
  const s = await git(cwd).status(["--untracked-files=all"]);
  return s.files.map((f) => f.path);
}

export async function revParse(cwd: string, ref: string): Promise<string | null> {
  try {
    return (await git(cwd).raw(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim() || null;
  } catch {
    return null;
  }
}

export async function currentBranch(cwd: string): Promise<string | null> {
  try {
    return (await git(cwd).raw(["symbolic-ref", "--short", "-q", "HEAD"])).trim() || null;
  } catch {
    return null;
  }
}

// simple-git does not reject on a non-zero exit with empty stderr, so exit-code questions go
// straight to git.
export async function isAncestor(cwd: string, a: string, b: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile("git", ["merge-base", "--is-ancestor", a, b], { cwd, env: buildGitEnv() }, (err) => resolve(!err));
  });
}

export async function unmergedFiles(cwd: string): Promise<string[]> {
  const out = await git(cwd).raw(["diff", "--name-only", "--diff-filter=U"]);
  return out.split("\n").filter(Boolean);
}

/** Worktrees as git lists them: path and checked-out branch (null when detached). */
export async function worktrees(repo: string): Promise<Array<{ path: string; branch: string | null }>> {
  const out = await git(repo).raw(["worktree", "list", "--porcelain"]);
  const list: Array<{ path: string; branch: string | null }> = [];
  for (const block of out.split("\n\n")) {
    const path = /^worktree (.+)$/m.exec(block)?.[1];
    if (!path) continue;
    const branch = /^branch refs\/heads\/(.+)$/m.exec(block)?.[1] ?? null;
    list.push({ path, branch });
  }
  return list;
}

/** An identity for Drover's own commits when the repository has none configured. */
export async function commitIdentityArgs(cwd: string): Promise<string[]> {
  const email = await git(cwd)
    .raw(["config", "--get", "user.email"])
    .catch(() => "");
  return email.trim() ? [] : ["-c", "user.name=Drover", "-c", "user.email=drover@localhost"];
}
