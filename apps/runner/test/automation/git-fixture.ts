// Real git repositories in temp dirs for pipeline tests.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { makeRepo as makeTestRepo } from "@drover/repo/testing/make-repo";

export async function sh(cwd: string, ...argv: string[]): Promise<string> {
  const r = await promisify(execFile)("git", argv, { cwd });
  return r.stdout.trim();
}

export async function write(dir: string, rel: string, text: string): Promise<void> {
  await mkdir(dirname(join(dir, rel)), { recursive: true });
  await writeFile(join(dir, rel), text);
}

/** A repo on `main` with one commit, its worktrees folder ignored. */
export async function makeRepo(files: Record<string, string> = { "README.md": "hello\n" }): Promise<string> {
  return makeTestRepo({ files: { ...files, ".gitignore": ".drover/worktrees/\n" } });
}

/** A story branch with a worktree and one commit changing files. */
export async function storyBranch(repo: string, branch: string, files: Record<string, string>, from = "main"): Promise<string> {
  const wt = join(repo, ".drover", "worktrees", branch.replace(/\//g, "-"));
  await sh(repo, "worktree", "add", "-q", "-b", branch, wt, from);
  for (const [k, v] of Object.entries(files)) await write(wt, k, v);
  await sh(wt, "add", "-A");
  await sh(wt, "commit", "-q", "-m", `work on ${branch}`);
  return wt;
}

export async function commitOnMain(repo: string, files: Record<string, string>, msg = "main change"): Promise<void> {
  for (const [k, v] of Object.entries(files)) await write(repo, k, v);
  await sh(repo, "add", "-A");
  await sh(repo, "commit", "-q", "-m", msg);
}
