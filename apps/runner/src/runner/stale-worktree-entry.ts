// One worktree's stale registration, removed without touching any other worktree's.
import fs from "node:fs";
import path from "node:path";

/**
 * Removes the entry under <commonDir>/worktrees of the worktree at `wt` when its folder is gone
 * (deleted by hand or just removed), as `git worktree prune` would, but only that one: an unscoped
 * prune also deletes the entry another runner's `worktree add` has just made and not yet locked,
 * and that add then fails. Locked entries stay, as prune leaves them.
 */
export function removeStaleWorktreeEntry(commonDir: string, wt: string): void {
  const entries = path.join(commonDir, "worktrees");
  if (!fs.existsSync(entries)) return;
  const dotGit = path.join(wt, ".git");
  // git records the real path: the root may sit behind a symlink (as /tmp does on macOS)
  const parent = path.dirname(wt);
  const real = fs.existsSync(parent) ? path.join(fs.realpathSync(parent), path.basename(wt), ".git") : dotGit;
  for (const id of fs.readdirSync(entries)) {
    const entry = path.join(entries, id);
    let points: string;
    try {
      points = fs.readFileSync(path.join(entry, "gitdir"), "utf8").trim();
    } catch {
      continue; // being made by another add, or not ours to judge
    }
    if ((path.resolve(points) === dotGit || path.resolve(points) === real) && !fs.existsSync(dotGit) && !fs.existsSync(path.join(entry, "locked"))) {
      fs.rmSync(entry, { recursive: true, force: true });
    }
  }
}
