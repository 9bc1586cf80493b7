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

function changeColumns(c: MergedChange) {
  return {
    fileCount: c.files.length,
    additions: c.additions,
    deletions: c.deletions,
    files: c.files as unknown as Prisma.InputJsonValue,
    truncated: c.truncated,
  };
}

/** Stores (replacing the previous capture) a story branch's change against its base, as a runner read it. */
export async function recordBranchDiff(
  db: DbOrTx,
  c: MergedChange & { storyId: number; branch: string; baseBranch: string; baseCommit: string; headCommit: string },
): Promise<void> {
  const data = { branch: c.branch, baseBranch: c.baseBranch, baseCommit: c.baseCommit, headCommit: c.headCommit, ...changeColumns(c), capturedAt: new Date() };
  await db.storyBranchDiff.upsert({ where: { storyId: c.storyId }, create: { storyId: c.storyId, ...data }, update: data });
}

/** Stores what one session's commits changed (branch head before → after the session). */
export async function recordSessionDiff(db: DbOrTx, c: MergedChange & { sessionId: number; fromCommit: string; toCommit: string }): Promise<void> {
  const data = { fromCommit: c.fromCommit, toCommit: c.toCommit, ...changeColumns(c), capturedAt: new Date() };
  await db.sessionDiff.upsert({ where: { sessionId: c.sessionId }, create: { sessionId: c.sessionId, ...data }, update: data });
}

/** The last captured branch change of a story, or null when no runner captured one yet. */
export async function storedBranchDiff(db: DbOrTx, storyId: number) {
  const row = await db.storyBranchDiff.findUnique({ where: { storyId } });
  return row ? { ...row, files: row.files as unknown as ChangedFile[] } : null;
}

/** The captured change of each of a story's sessions that committed something, newest first (stats only). */
export async function storySessionDiffs(db: DbOrTx, storyId: number) {
  return db.sessionDiff.findMany({
    where: { session: { storyId }, fileCount: { gt: 0 } },
    orderBy: { sessionId: "desc" },
    take: 50,
    select: { sessionId: true, fromCommit: true, toCommit: true, fileCount: true, additions: true, deletions: true, truncated: true, capturedAt: true },
  });
}

/** One session's captured change with its patches, or null. */
export async function storedSessionDiff(db: DbOrTx, sessionId: number) {
  const row = await db.sessionDiff.findUnique({ where: { sessionId } });
  return row ? { ...row, files: row.files as unknown as ChangedFile[] } : null;
}
