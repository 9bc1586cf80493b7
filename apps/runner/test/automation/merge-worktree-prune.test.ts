// Removing a merge worktree must clear only its own registration: an unscoped `git worktree
// prune` also deletes another runner's half-made worktree entry (made, not yet locked), and that
// runner's `worktree add` then fails (the race fixed for agent worktrees in worktree-prune.test.ts).
import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { removeMergeWorktree } from "../../src/automation/merge.ts";
import { makeRepo } from "../runner/helpers.ts";

it("removing a merge worktree leaves another runner's half-made worktree entry alone", async () => {
  const repo = await makeRepo();
  const wt = path.join(repo, ".worktrees", "merge-7");
  await execa("git", ["worktree", "add", "-b", "drover/merge-7", wt, "main"], { cwd: repo });
  // Another runner's add caught between making its entry and locking it: no gitdir file yet.
  const other = path.join(repo, ".git", "worktrees", "2-other");
  fs.mkdirSync(other, { recursive: true });
  await removeMergeWorktree(repo, wt, "drover/merge-7");
  expect(fs.existsSync(other)).toBe(true);
  expect(fs.existsSync(wt)).toBe(false);
  expect((await execa("git", ["worktree", "list"], { cwd: repo })).stdout).not.toContain("merge-7");
});

it("still clears its own entry when the merge worktree's folder was already deleted by hand", async () => {
  const repo = await makeRepo();
  const wt = path.join(repo, ".worktrees", "merge-8");
  await execa("git", ["worktree", "add", "-b", "drover/merge-8", wt, "main"], { cwd: repo });
  fs.rmSync(wt, { recursive: true, force: true });
  expect((await execa("git", ["worktree", "list"], { cwd: repo })).stdout).toContain("merge-8");
  await removeMergeWorktree(repo, wt, "drover/merge-8");
  expect((await execa("git", ["worktree", "list"], { cwd: repo })).stdout).not.toContain("merge-8");
  // The branch is free again (it was checked out in the stale entry, which would block -D).
  expect((await execa("git", ["branch", "--list", "drover/merge-8"], { cwd: repo })).stdout).toBe("");
});
