// The change each story merged, stored when it merged (the story branch is deleted then) and read
// back by the story page, so a done story's change is viewable without git.
import type { ChangedFile, MergedChange } from "@drover/core/stories/story-change";
import type { Prisma } from "../generated/prisma/client.ts";
import type { DbOrTx } from "./tx.ts";

export interface StoryChangeRecord extends MergedChange {
  storyId: number;
  commit: string;
  baseCommit: string;
  baseBranch: string;
}

/** Stores (or replaces, for a story merged again) the change a story merged. */
export async function recordStoryChange(db: DbOrTx, c: StoryChangeRecord): Promise<void> {
  const data = {
    commit: c.commit,
    baseCommit: c.baseCommit,
    baseBranch: c.baseBranch,
    fileCount: c.files.length,
    additions: c.additions,
    deletions: c.deletions,
    files: c.files as unknown as Prisma.InputJsonValue,
    truncated: c.truncated,
  };
  await db.storyChange.upsert({ where: { storyId: c.storyId }, create: { storyId: c.storyId, ...data }, update: { ...data, createdAt: new Date() } });
}

/** The stored change of a story, or null when none was stored (not merged, or merged before Drover kept them). */
export async function storedStoryChange(db: DbOrTx, storyId: number) {
  const row = await db.storyChange.findUnique({ where: { storyId } });
  if (!row) return null;
  return { ...row, files: row.files as unknown as ChangedFile[] };
}
