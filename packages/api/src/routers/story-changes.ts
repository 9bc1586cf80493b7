// What the story page shows under Changes, all from the database (the web reads no repository):
// the change stored when the story merged, else its branch against the base as a runner last
// captured it (when a session on it ended), with each session's own commits summed up.
import type { ChangedFile } from "@drover/core/stories/story-change";
import type { Db } from "@drover/db";
import { storedBranchDiff, storedStoryChange, storyBranch, storySessionDiffs } from "@drover/db/services/index";

export interface StoryChanges {
  /** "merged": stored when the story merged; "branch": its branch against the base, as captured at capturedAt. */
  source: "merged" | "branch" | "none";
  branch: string | null;
  base: string;
  commit: string | null;
  files: ChangedFile[];
  truncated: boolean;
  /** When the shown change was read from the repository. */
  capturedAt: Date | null;
  /** What each session's commits changed (stats), newest first. */
  sessions: Awaited<ReturnType<typeof storySessionDiffs>>;
  /** Why nothing is shown, when source is "none". */
  note?: string;
}

export async function storyChanges(db: Db, storyId: number): Promise<StoryChanges> {
  const [stored, captured, sessions, { base, branch }] = await Promise.all([
    storedStoryChange(db, storyId),
    storedBranchDiff(db, storyId),
    storySessionDiffs(db, storyId),
    storyBranch(db, storyId),
  ]);
  if (stored) {
    return {
      source: "merged",
      branch: null,
      base: stored.baseBranch,
      commit: stored.commit,
      files: stored.files,
      truncated: stored.truncated,
      capturedAt: stored.createdAt,
      sessions,
    };
  }
  const story = await db.story.findUniqueOrThrow({ where: { id: storyId }, select: { stage: true } });
  const merged = story.stage === "done" || story.stage === "archived";
  if (merged) return { ...none(branch, base, sessions), note: "This story's change was not kept." };
  if (captured) {
    return {
      source: "branch",
      branch: captured.branch,
      base: captured.baseBranch,
      commit: captured.headCommit,
      files: captured.files,
      truncated: captured.truncated,
      capturedAt: captured.capturedAt,
      sessions,
    };
  }
  if (!branch) return { ...none(null, base, sessions), note: "No branch yet." };
  return { ...none(branch, base, sessions), note: `No diff of ${branch} yet: a runner captures it when a session on the story ends.` };
}

function none(branch: string | null, base: string, sessions: StoryChanges["sessions"]): StoryChanges {
  return { source: "none", branch, base, commit: null, files: [], truncated: false, capturedAt: null, sessions };
}
