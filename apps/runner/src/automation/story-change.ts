// Reads the change a merge landed, for storing with the story. The merge has already happened, so
// a failure to read it is logged and never undoes or fails the merge.
import type { MergedChange } from "@drover/core/stories/story-change";
import { readMergedChange } from "@drover/repo/merged-change";
import type { Logger } from "pino";
import type { MergeTarget } from "./merge.ts";

export async function readStoryChange(t: MergeTarget, baseCommit: string, commit: string, log: Logger): Promise<MergedChange | null> {
  try {
    return await readMergedChange(t.repoPath, baseCommit, commit);
  } catch (err) {
    log.warn({ story: t.storyNumber, err: (err as Error).message }, "could not read the merged change; the story page will not show it");
    return null;
  }
}
