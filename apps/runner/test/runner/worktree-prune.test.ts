// Several runners share one repository. `git worktree add` first makes its entry under
// .git/worktrees, then marks it "initializing" (locked): an unscoped `git worktree prune` from
// another runner in between deletes the half-made entry and that runner's add fails (seen in the
// throughput bench, 4 runners). A runner clears only the stale entry of the worktree it creates.
import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { ensureWorktree } from "../../src/runner/worktree.ts";
import { makeRepo } from "./helpers.ts";

it("creating a worktree leaves another runner's half-made worktree entry alone", async () => {
  const repo = await makeRepo();
  const root = path.join(repo, ".worktrees");
  // Another runner's add caught between making its entry and locking it: no gitdir file yet.
  const other = path.join(repo, ".git", "worktrees", "2-other");
  fs.mkdirSync(other, { recursive: true });
  await ensureWorktree({ repoPath: repo, root, path: path.join(root, "1-mine"), branch: "drover/1-mine", baseBranch: "main" });
  expect(fs.existsSync(other)).toBe(true);
});

it("still recovers its own stale entry (folder deleted by hand), also when the branch is checked out there", async () => {
  const repo = await makeRepo();
  const root = path.join(repo, ".worktrees");
  const wt = path.join(root, "3-stale");
  const opts = { repoPath: repo, root, path: wt, branch: "drover/3-stale", baseBranch: "main" };
  await ensureWorktree(opts);
  fs.rmSync(wt, { recursive: true, force: true });
  expect((await execa("git", ["worktree", "list"], { cwd: repo })).stdout).toContain("3-stale");
  const again = await ensureWorktree(opts);
  expect(again.created).toBe(true);
  expect((await execa("git", ["rev-parse", "--abbrev-ref", "HEAD"], { cwd: wt })).stdout).toBe("drover/3-stale");
});
