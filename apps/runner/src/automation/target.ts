// Where a story's merge happens: its branch (as the runner created it), the base, the merge worktree.
import { mergeWorktreePath, storyBranch, worktreeRoot } from "@drover/core/pipeline/workspace";
import type { Db, Project, Story } from "@drover/db";
import type { MergeTarget } from "./merge.ts";
import { projectConfigFrom } from "@drover/core/config/stored-config";
import type { ProjectRepos } from "../runner/project-repos.ts";

/** `repos` places a remote project's merge in this runner's clone, against its remote. */
export async function mergeTargetFor(db: Db, story: Story, project: Project, repos?: ProjectRepos): Promise<MergeTarget> {
  const cfg = projectConfigFrom(project.config);
  // The branch the coder really worked on (the runner records it on the session).
  const coder = await db.agentSession.findFirst({
    where: { storyId: story.id, stage: "coder", branch: { not: null } },
    orderBy: { id: "desc" },
    select: { branch: true },
  });
  const repoPath = repos ? repos.path(project) : project.repoPath;
  const remote = repos?.remoteSide(project);
  return {
    repoPath,
    baseBranch: project.baseBranch,
    storyBranch: coder?.branch ?? storyBranch(story.number, story.slug),
    storyNumber: story.number,
    storyTitle: story.title,
    // Inside the worktree root, where the runner lets agents (the mergemaster) work.
    worktreePath: mergeWorktreePath(worktreeRoot(repoPath, cfg.worktree_root), story.number),
    ...(remote ? { remote } : {}),
    round: story.stageChangedAt.toISOString(),
  };
}
