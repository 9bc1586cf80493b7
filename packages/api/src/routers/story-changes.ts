// What the story page shows under Changes: the change stored when the story merged (no git
// needed), else its branch against the base while work is under way.
import type { ChangedFile } from "@drover/core/stories/story-change";
import type { Db } from "@drover/db";
import { storedStoryChange, storyBranch } from "@drover/db/services/index";
import { branchDiff } from "@drover/repo/branch-diff";

export interface StoryChanges {
  /** "merged": stored when the story merged; "branch": its branch against the base, read from git now. */
  source: "merged" | "branch" | "none";
  branch: string | null;
  base: string;
  commit: string | null;
  files: ChangedFile[];
  truncated: boolean;
  error?: string;
}

export async function storyChanges(db: Db, storyId: number): Promise<StoryChanges> {
  const stored = await storedStoryChange(db, storyId);
  if (stored) {
    return { source: "merged", branch: null, base: stored.baseBranch, commit: stored.commit, files: stored.files, truncated: stored.truncated };
  }
  const { repoPath, base, branch } = await storyBranch(db, storyId);
  const story = await db.story.findUniqueOrThrow({ where: { id: storyId }, select: { stage: true, mergeCommit: true } });
  const merged = story.stage === "done" || story.stage === "archived";
  if (merged && !story.mergeCommit) return { source: "none", branch, base, commit: null, files: [], truncated: false };
  if (merged) {
    // Merged before Drover kept merged changes: the merge commit's own diff, while git still has it.
    const diff = await branchDiff(repoPath, `${story.mergeCommit}^`, story.mergeCommit!);
    return { source: "merged", branch: null, base, commit: story.mergeCommit, ...asChanged(diff) };
  }
  if (!branch) return { source: "none", branch: null, base, commit: null, files: [], truncated: false };
  return { source: "branch", branch, base, commit: null, ...asChanged(await branchDiff(repoPath, base, branch)) };
}

function asChanged(d: Awaited<ReturnType<typeof branchDiff>>): { files: ChangedFile[]; truncated: false; error?: string } {
  return { files: d.files.map((f) => ({ ...f, truncated: false, binary: false })), truncated: false, ...(d.error ? { error: d.error } : {}) };
}
