// The merge, done by Drover in its own worktree on `merge-queue/<number>`: squash the story branch
// onto the current base, let gates (and a mergemaster, when needed) work there, then advance the
// base branch and verify from git itself that the story's change really landed. The main checkout
// is never switched to another branch.
import { mergeBranchName } from "@drover/core/pipeline/workspace";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { findConflictMarkers, verifyMerge, type MergeFacts } from "@drover/core/automation/merge-verify";
import { commitIdentityArgs, currentBranch, git, isAncestor, revParse, unmergedFiles, worktrees } from "./git.ts";
import type { RemoteSide } from "../runner/project-repos.ts";
import { removeStaleWorktreeEntry } from "../runner/stale-worktree-entry.ts";

export interface MergeTarget {
  repoPath: string;
  baseBranch: string;
  storyBranch: string;
  storyNumber: number;
  storyTitle: string;
  /** Folder for the merge worktree (inside the runner's worktree root, so agents may work there). */
  worktreePath: string;
  /** A remote project: the base moves by a push to the remote, and landing is checked there. */
  remote?: RemoteSide;
  /** Which merge of the story this is (when it entered merge): a merge worktree prepared for an earlier one is stale. */
  round?: string;
}

export type PrepareResult =
  | { status: "ready"; worktreePath: string; branch: string; baseBefore: string }
  | { status: "conflicts"; worktreePath: string; branch: string; baseBefore: string; conflicts: string[] }
  | { status: "empty"; reason: string }
  | { status: "error"; reason: string };

// What a merge worktree was prepared from, in its private git dir (outside the working tree).
const prepMarker = async (worktreePath: string) => join((await git(worktreePath).raw(["rev-parse", "--absolute-git-dir"])).trim(), "drover-merge-prep");

function mergeCommitMessage(storyNumber: number, title: string): string {
  return `Story #${storyNumber}: ${title}\n\nMerged by Drover from story ${storyNumber}.`;
}

/** Fresh merge worktree from the current base with the story branch squashed in (committed when clean). */
export async function prepareMerge(t: MergeTarget): Promise<PrepareResult> {
  const branch = mergeBranchName(t.storyNumber);
  const baseBefore = await revParse(t.repoPath, t.baseBranch);
  if (!baseBefore) return { status: "error", reason: `base branch ${t.baseBranch} not found in ${t.repoPath}` };
  if (!(await revParse(t.repoPath, t.storyBranch))) return { status: "error", reason: `story branch ${t.storyBranch} not found` };
  await removeMergeWorktree(t.repoPath, t.worktreePath);
  await mkdir(dirname(t.worktreePath), { recursive: true });
  const g = git(t.repoPath);
  await g.raw(["worktree", "add", "--force", "-B", branch, t.worktreePath, baseBefore]);
  const wt = git(t.worktreePath);
  await writeFile(await prepMarker(t.worktreePath), `${await revParse(t.repoPath, t.storyBranch)} ${t.round ?? ""}`);
  try {
    // A three-way squash wants a committer identity even without committing (a fresh runner host has none).
    await wt.raw([...(await commitIdentityArgs(t.worktreePath)), "merge", "--squash", "--no-commit", t.storyBranch]);
  } catch (err) {
    const conflicts = await unmergedFiles(t.worktreePath);
    if (conflicts.length) return { status: "conflicts", worktreePath: t.worktreePath, branch, baseBefore, conflicts };
    // Not a conflict: git's own words, rather than an empty squash that looks like "no change".
    await removeMergeWorktree(t.repoPath, t.worktreePath, branch);
    return { status: "error", reason: `squashing ${t.storyBranch} onto ${t.baseBranch} failed: ${(err as Error).message.trim()}` };
  }
  const conflicts = await unmergedFiles(t.worktreePath);
  if (conflicts.length) return { status: "conflicts", worktreePath: t.worktreePath, branch, baseBefore, conflicts };
  const staged = (await wt.raw(["diff", "--cached", "--name-only"])).trim();
  if (!staged) {
    await removeMergeWorktree(t.repoPath, t.worktreePath, branch);
    const at = (await revParse(t.repoPath, t.storyBranch))?.slice(0, 10);
    return { status: "empty", reason: `story branch ${t.storyBranch} (at ${at}) has no change against ${t.baseBranch} (at ${baseBefore.slice(0, 10)})` };
  }
  await wt.raw([...(await commitIdentityArgs(t.worktreePath)), "commit", "--no-verify", "-m", mergeCommitMessage(t.storyNumber, t.storyTitle)]);
  return { status: "ready", worktreePath: t.worktreePath, branch, baseBefore };
}

/** Whether the merge worktree here was prepared from the story branch as it is now, for this merge of the story. */
export async function preparedForNow(t: MergeTarget): Promise<boolean> {
  if (!existsSync(join(t.worktreePath, ".git"))) return false;
  const said = await readFile(await prepMarker(t.worktreePath), "utf8").catch(() => "");
  return said !== "" && said === `${await revParse(t.repoPath, t.storyBranch)} ${t.round ?? ""}`;
}

/**
 * After a mergemaster (or anyone) worked in the merge worktree: refuse unresolved conflicts and
 * conflict markers, then fold everything into one commit on top of the base it started from.
 */
export async function sealMergeWorktree(t: MergeTarget): Promise<{ ok: true; commit: string } | { ok: false; reason: string; conflicts?: string[] }> {
  const wt = git(t.worktreePath);
  // The merge-queue branch forked from the base; that fork point is what the story's change sits on.
  const mergeBase = (await wt.raw(["merge-base", "HEAD", t.baseBranch])).trim();
  const unresolved = await unmergedFiles(t.worktreePath);
  if (unresolved.length) return { ok: false, reason: `unresolved conflicts in ${unresolved.join(", ")}`, conflicts: unresolved };
  await wt.raw(["add", "-A"]);
  const markers = findConflictMarkers(await wt.raw(["diff", "--cached", mergeBase]));
  if (markers.length) return { ok: false, reason: `conflict markers left in ${markers.join(", ")}`, conflicts: markers };
  // One commit carrying the story's number and title, whatever the mergemaster committed.
  await wt.raw(["reset", "--soft", mergeBase]);
  const staged = (await wt.raw(["diff", "--cached", "--name-only"])).trim();
  if (!staged) return { ok: false, reason: `the merge worktree carries no change against ${t.baseBranch}` };
  await wt.raw([...(await commitIdentityArgs(t.worktreePath)), "commit", "--no-verify", "-m", mergeCommitMessage(t.storyNumber, t.storyTitle)]);
  return { ok: true, commit: (await revParse(t.worktreePath, "HEAD"))! };
}

export type AdvanceResult =
  | { ok: true; commit: string; baseBefore: string; method: "fast-forward" | "cherry-pick" }
  | { ok: false; reason: string; conflicts?: string[]; baseBefore?: string; gateFailure?: string; baseMoved?: boolean };

/** Re-runs the gates on a commit that was cherry-picked onto a moved base, before the base moves. */
export type Regate = (worktreePath: string) => Promise<{ ok: true } | { ok: false; reason: string; text: string }>;

/**
 * Moves the base branch to the merge commit: a fast-forward when the base has not moved since the
 * merge worktree was made, else a cherry-pick of the commit onto the new base (conflicts reported),
 * gated again through `regate` before the base moves.
 * Then verifies from git that the base moved forward, carries a non-empty diff without conflict
 * markers, and that the main checkout is on the base branch.
 */
export async function advanceBase(t: MergeTarget, opts: { regate?: Regate } = {}): Promise<AdvanceResult & { facts?: MergeFacts }> {
  const baseBefore = await revParse(t.repoPath, t.baseBranch);
  if (!baseBefore) return { ok: false, reason: `base branch ${t.baseBranch} not found` };
  let commit = await revParse(t.worktreePath, "HEAD");
  if (!commit) return { ok: false, reason: "merge worktree has no commit" };
  let method: "fast-forward" | "cherry-pick" = "fast-forward";
  if (!(await isAncestor(t.repoPath, baseBefore, commit))) {
    method = "cherry-pick";
    const wt = git(t.worktreePath);
    await wt.raw(["reset", "-q", "--hard", baseBefore]);
    const picked = await wt.raw([...(await commitIdentityArgs(t.worktreePath)), "cherry-pick", commit]).then(
      () => null,
      (err: Error) => err.message.trim(),
    );
    const conflicts = await unmergedFiles(t.worktreePath);
    if (conflicts.length) return { ok: false, reason: `cherry-pick onto the moved ${t.baseBranch} conflicts`, conflicts, baseBefore };
    if (picked) return { ok: false, reason: `cherry-pick onto the moved ${t.baseBranch} failed: ${picked}`, baseBefore };
    commit = (await revParse(t.worktreePath, "HEAD"))!;
    // The gates passed on the old base; the combination with what landed since is new code.
    if (opts.regate) {
      const gated = await opts.regate(t.worktreePath);
      if (!gated.ok) return { ok: false, reason: gated.reason, gateFailure: gated.text, baseBefore };
    }
  }

  if (t.remote) return publishToRemote(t, t.remote, commit, baseBefore, method);

  // Put the main checkout back on the base if a previous tool left it on a merge-queue branch.
  const mainBranch = await currentBranch(t.repoPath);
  if (mainBranch?.startsWith("merge-queue/"))
    await git(t.repoPath)
      .raw(["switch", "-q", t.baseBranch])
      .catch(() => undefined);

  const holder = (await worktrees(t.repoPath)).find((w) => w.branch === t.baseBranch);
  try {
    if (holder) {
      // Checked out somewhere (usually the main checkout): fast-forward its working tree too.
      await git(holder.path).raw(["merge", "--ff-only", "-q", commit]);
    } else {
      await git(t.repoPath).raw(["update-ref", `refs/heads/${t.baseBranch}`, commit, baseBefore]);
    }
  } catch (err) {
    return { ok: false, reason: `could not advance ${t.baseBranch}: ${(err as Error).message.trim()}`, baseBefore };
  }
  const facts = await mergeFacts(t, baseBefore);
  const verdict = verifyMerge(facts);
  if (!verdict.ok) return { ok: false, reason: verdict.reason, baseBefore, facts };
  return { ok: true, commit: facts.baseAfter, baseBefore, method, facts };
}

/**
 * The remote's base moves only by a push it accepts (never forced). A base that moved meanwhile is
 * answered `baseMoved` (fetch and go again); a refusal keeps the story out of done with the
 * remote's reason. The remote itself must then hold the commit before anything is called merged.
 */
async function publishToRemote(
  t: MergeTarget,
  remote: RemoteSide,
  commit: string,
  baseBefore: string,
  method: "fast-forward" | "cherry-pick",
): Promise<AdvanceResult & { facts?: MergeFacts }> {
  const pushed = await remote.publish(commit);
  if (!pushed.ok) return { ok: false, reason: pushed.message, baseBefore, ...(pushed.moved ? { baseMoved: true } : {}) };
  if (!(await remote.landed(commit)))
    return { ok: false, reason: `the remote accepted the push, but its ${t.baseBranch} does not contain ${commit.slice(0, 10)}`, baseBefore };
  await remote.refresh(); // the clone's base mirrors the remote's again, now with the story in it
  const facts = await mergeFacts(t, baseBefore, commit);
  const verdict = verifyMerge(facts);
  if (!verdict.ok) return { ok: false, reason: verdict.reason, baseBefore, facts };
  return { ok: true, commit, baseBefore, method, facts };
}

/** `after`: the commit the base reached (default: where the local base is now). */
async function mergeFacts(t: Pick<MergeTarget, "repoPath" | "baseBranch">, baseBefore: string, after?: string): Promise<MergeFacts> {
  const g = git(t.repoPath);
  const baseAfter = after ?? (await revParse(t.repoPath, t.baseBranch)) ?? "";
  const moved = baseAfter !== "" && (await isAncestor(t.repoPath, baseBefore, baseAfter));
  const changedFiles = baseAfter ? (await g.raw(["diff", "--name-only", baseBefore, baseAfter])).split("\n").filter(Boolean) : [];
  const diff = baseAfter ? await g.raw(["diff", baseBefore, baseAfter]) : "";
  return {
    baseBranch: t.baseBranch,
    baseBefore,
    baseAfter,
    baseMovedForward: moved,
    changedFiles,
    conflictMarkers: findConflictMarkers(diff),
    mainCheckoutBranch: await currentBranch(t.repoPath),
  };
}

/**
 * The merge worktree from the merge branch as the remote delivered it (a mergemaster sealed it, on
 * this host or another); kept as it is when it already stands there. False when there is no sealed
 * work (nothing on top of the base).
 */
export async function restoreMergeWorktree(t: MergeTarget, branch: string): Promise<boolean> {
  const head = (await revParse(t.repoPath, `refs/remotes/origin/${branch}`)) ?? (await revParse(t.repoPath, `refs/heads/${branch}`));
  const base = await revParse(t.repoPath, t.baseBranch);
  if (!head || !base || (await isAncestor(t.repoPath, head, base))) return false;
  if (existsSync(join(t.worktreePath, ".git")) && (await revParse(t.worktreePath, "HEAD")) === head) return true;
  await removeMergeWorktree(t.repoPath, t.worktreePath);
  await mkdir(dirname(t.worktreePath), { recursive: true });
  await git(t.repoPath).raw(["worktree", "add", "--force", "-B", branch, t.worktreePath, head]);
  return true;
}

/** Removes a merge worktree (and optionally its branch), tolerating half-removed leftovers. */
export async function removeMergeWorktree(repo: string, path: string, branch?: string): Promise<void> {
  const g = git(repo);
  if (existsSync(path)) await g.raw(["worktree", "remove", "--force", "--force", path]).catch(() => undefined);
  await rm(path, { recursive: true, force: true });
  // Only this worktree's entry: an unscoped prune races other runners' half-made worktrees.
  const commonDir = (await g.raw(["rev-parse", "--path-format=absolute", "--git-common-dir"]).catch(() => "")).trim();
  if (commonDir) removeStaleWorktreeEntry(commonDir, path);
  if (branch) await g.raw(["branch", "-D", branch]).catch(() => undefined);
}
