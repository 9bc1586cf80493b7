// A remote project's mergemaster may be claimed on another host than the one that prepared its
// merge: the conflicts that host found live only in its own merge worktree. So before the agent
// starts, the merge worktree here is made from what every host shares (the remote and the
// database): the work a mergemaster of this merge sealed and pushed, else the story branch squashed
// onto the current remote base again, conflict markers and all. A merge worktree this host
// prepared from the same story commit for the same merge is kept as it is (with a retry's work).
import { badRequest } from "@drover/core/errors";
import { mergeBranchName } from "@drover/core/pipeline/workspace";
import type { Db, Story } from "@drover/db";
import { prepareMerge, preparedForNow, restoreMergeWorktree, type MergeTarget } from "./merge.ts";

export type MergeWorktreeOrigin = { how: "kept" | "restored" } | { how: "prepared"; conflicts: string[] };

/** `target`: this host's merge target; the story branch and base must be fetched already. */
export async function remoteMergeWorktree(db: Db, story: Pick<Story, "id" | "stageChangedAt">, target: MergeTarget): Promise<MergeWorktreeOrigin> {
  const sealed = await db.agentSession.findFirst({
    where: { storyId: story.id, stage: "mergemaster", status: "completed", createdAt: { gte: story.stageChangedAt } },
    select: { id: true },
  });
  if (sealed && (await restoreMergeWorktree(target, mergeBranchName(target.storyNumber)))) return { how: "restored" };
  if (await preparedForNow(target)) return { how: "kept" };
  const prep = await prepareMerge(target);
  if (prep.status === "empty" || prep.status === "error")
    throw badRequest(`The merge of story ${target.storyNumber} could not be prepared on this host: ${prep.reason}`);
  return { how: "prepared", conflicts: prep.status === "conflicts" ? prep.conflicts : [] };
}
