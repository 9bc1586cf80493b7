// When a session ends, the runner reads what it changed and stores it, so the web shows diffs from
// the database and never reads the repository: the session's own commits (branch head before →
// after) and the whole branch against its base. A failure is logged and never fails the session.
import type { Db } from "@drover/db";
import { recordBranchDiff, recordSessionDiff } from "@drover/db/services/story-changes";
import { readBranchChange, readMergedChange } from "@drover/repo/merged-change";
import type { Logger } from "pino";
import { branchHead } from "./worktree.ts";

export interface DiffCapture {
  repoPath: string;
  storyId: number;
  sessionId: number;
  branch: string;
  baseBranch: string;
  /** The branch head when the agent started (undefined: the branch did not exist). */
  headBefore: string | undefined;
}

/** Reads and stores both diffs; throws what git or the database threw. */
export async function storeDiffs(db: Db, c: DiffCapture): Promise<void> {
  const head = await branchHead(c.repoPath, c.branch);
  if (!head) return;
  if (c.headBefore && c.headBefore !== head) {
    const change = await readMergedChange(c.repoPath, c.headBefore, head);
    await recordSessionDiff(db, { sessionId: c.sessionId, fromCommit: c.headBefore, toCommit: head, ...change });
  }
  const { baseCommit, ...change } = await readBranchChange(c.repoPath, c.baseBranch, head);
  await recordBranchDiff(db, { storyId: c.storyId, branch: c.branch, baseBranch: c.baseBranch, baseCommit, headCommit: head, ...change });
}

/** storeDiffs for a session that ended: a failure is logged, never the session's. */
export async function captureDiffs(db: Db, c: DiffCapture, log: Logger): Promise<void> {
  try {
    await storeDiffs(db, c);
  } catch (err) {
    log.warn({ err: (err as Error).message, branch: c.branch }, "could not capture the session's diff; the story page keeps the last capture");
  }
}
