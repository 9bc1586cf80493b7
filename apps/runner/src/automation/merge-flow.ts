// One merge attempt for a story in `merge`, under the project's merge lock (one merge per project
// at a time, across runners). State lives in git: a merge worktree that a mergemaster completed
// in is advanced; otherwise a fresh one is prepared from the current base.
import fs from "node:fs";
import { DomainError } from "@drover/core/errors";
import { mergeBranchName } from "@drover/core/pipeline/workspace";
import type { Db, Project, Story } from "@drover/db";
import { inTx, lockStory, logProjectEvent, moveLocked, recordStoryChange, startAgent } from "@drover/db/services/index";
import type { Logger } from "pino";
import { gateFailureText, runGates } from "./gates.ts";
import { revParse } from "./git.ts";
import { advanceBase, prepareMerge, removeMergeWorktree, restoreMergeWorktree, type MergeTarget } from "./merge.ts";
import type { ProjectConfig } from "@drover/core/config/types";
import { rosterConfig } from "../runner/roster.ts";
import { gatesFor, gateTimeoutSecs } from "./settings.ts";
import { mergeTargetFor } from "./target.ts";
import { readStoryChange } from "./story-change.ts";
import { teardownStory } from "./teardown.ts";
import { AUTOMATION } from "./actors.ts";
import { describeReconcile, type ProjectRepos } from "../runner/project-repos.ts";

export type MergeOutcome = "done" | "mergemaster" | "merge_failure" | "skipped";

/** Pushes to a remote base that keeps moving are tried this many times (fetch, replay, gates again), then a mergemaster takes over. */
export const REMOTE_PUSH_TRIES = 3;

/** `repos`: where this runner keeps projects' repositories; a remote project merges against its remote. */
export async function attemptMerge(db: Db, projectId: number, storyId: number, log: Logger, repos?: ProjectRepos): Promise<MergeOutcome> {
  const story = await db.story.findUnique({ where: { id: storyId }, include: { project: true } });
  if (story?.stage !== "merge" || story.blocked || story.mergeFailure || story.reviewHold) return "skipped";
  const active = await db.agentSession.count({ where: { storyId, status: { in: ["pending", "running"] }, stage: "mergemaster" } });
  if (active) return "skipped";
  const project = story.project;
  const target = await mergeTargetFor(db, story, project, repos);
  const event = (kind: string, message: string, payload?: object) =>
    logProjectEvent(db, { projectId, storyId, kind, message, actor: AUTOMATION.merge, ...(payload ? { payload: payload as never } : {}) });
  let cfg: ProjectConfig;
  try {
    cfg = rosterConfig(project); // gates run from the parsed roster text, not the row's JSON
  } catch (e) {
    return recordFailure(db, story, target, (e as Error).message);
  }

  // A mergemaster that finished after the story entered merge already sealed and gated the worktree.
  const mm = await db.agentSession.findFirst({
    where: { storyId, stage: "mergemaster", createdAt: { gte: story.stageChangedAt } },
    orderBy: { id: "desc" },
  });
  // A remote project's merge worktree here may predate the mergemaster's work on another host: restored below.
  let resumeAfterMergemaster = mm?.status === "completed" && !target.remote && fs.existsSync(target.worktreePath);

  if (target.remote && repos) {
    // Fetch first: the base and the story branch (perhaps pushed by another host) as the remote has them.
    try {
      const synced = await repos.sync(project, target.storyBranch);
      const said = synced.branch && describeReconcile(target.storyBranch, synced.branch).activity;
      if (said) await event(said.kind, `Story ${story.number}: ${said.message}`, said.payload);
    } catch (e) {
      await event(
        "merge_fetch_failed",
        `Story ${story.number}: could not fetch the remote (${(e as Error).message}); the merge is tried again on the next pass`,
      );
      return "skipped";
    }
  }
  // The mergemaster's sealed work, as it pushed it from whichever host it ran on (kept when already here).
  if (mm?.status === "completed" && target.remote && repos) resumeAfterMergemaster = await restoreMergeWorktree(target, mergeBranchName(story.number));
  const gates = gatesFor(cfg, target.worktreePath);
  if (!resumeAfterMergemaster) {
    // Sealed work an earlier merge of this story left on the remote would be taken for this one's (and refuse its push).
    if (target.remote && (await revParse(target.repoPath, `refs/remotes/origin/${mergeBranchName(story.number)}`))) {
      const note = await target.remote.deleteBranch(mergeBranchName(story.number));
      if (note) log.warn({ story: story.number, note }, "could not delete the stale merge branch on the remote");
    }
    const prep = await prepareMerge(target);
    if (prep.status === "empty" || prep.status === "error") return recordFailure(db, story, target, prep.reason);
    if (prep.status === "conflicts") {
      await event(
        "merge_conflicts",
        `Story ${story.number}: squashing ${target.storyBranch} onto ${target.baseBranch} conflicts in ${prep.conflicts.join(", ")}`,
        { conflicts: prep.conflicts },
      );
      return handOff(db, story, project, target, conflictBrief(target, prep.conflicts), event, log);
    }
    if (gates.length) {
      const report = await runGates({ cwd: target.worktreePath, gates, timeoutSecs: gateTimeoutSecs(cfg), sandbox: cfg });
      await event(
        report.passed ? "merge_gates_passed" : "merge_gates_failed",
        `Story ${story.number}: gates in the merge worktree ${report.passed ? "passed" : "failed"}`,
        { gates: report.gates as never },
      );
      if (!report.passed)
        return handOff(
          db,
          story,
          project,
          target,
          `${gateFailureText(report, gateTimeoutSecs(cfg))}\n\nYou are in the merge worktree ${target.worktreePath} (branch ${mergeBranchName(story.number)}); fix it there.`,
          event,
          log,
        );
    }
  }

  const regate = async (cwd: string) => {
    const report = await runGates({ cwd, gates, timeoutSecs: gateTimeoutSecs(cfg), sandbox: cfg });
    await event(
      report.passed ? "merge_gates_passed" : "merge_gates_failed",
      `Story ${story.number}: gates on the base that moved meanwhile ${report.passed ? "passed" : "failed"}`,
      { gates: report.gates as never },
    );
    return report.passed
      ? ({ ok: true } as const)
      : ({ ok: false, reason: "gates failed on the moved base", text: gateFailureText(report, gateTimeoutSecs(cfg)) } as const);
  };
  let adv = await advanceBase(target, gates.length ? { regate } : {});
  // The remote base moved between our fetch and our push: fetch, replay onto it, gate again.
  for (let tries = 1; !adv.ok && adv.baseMoved && target.remote && tries < REMOTE_PUSH_TRIES; tries++) {
    await event("merge_push_retry", `Story ${story.number}: ${adv.reason}; fetching and trying again (${tries + 1}/${REMOTE_PUSH_TRIES})`);
    await target.remote.refresh();
    adv = await advanceBase(target, gates.length ? { regate } : {});
  }
  if (!adv.ok && adv.baseMoved) {
    const where = `You are in the merge worktree ${target.worktreePath} (branch ${mergeBranchName(story.number)}). The remote ${target.baseBranch} moved during each of ${REMOTE_PUSH_TRIES} attempts to push this story onto it; bring the worktree onto the current ${target.baseBranch} and finish. The gates and the push run again after you exit.`;
    return handOff(db, story, project, target, where, event, log);
  }
  if (!adv.ok) {
    if (adv.conflicts?.length) return handOff(db, story, project, target, conflictBrief(target, adv.conflicts), event, log);
    if (adv.gateFailure) {
      const where = `You are in the merge worktree ${target.worktreePath} (branch ${mergeBranchName(story.number)}), now on top of the moved ${target.baseBranch}; fix it there.`;
      return handOff(db, story, project, target, `${adv.gateFailure}\n\n${where}`, event, log);
    }
    return recordFailure(db, story, target, adv.reason);
  }
  // Read before the branch is deleted by teardown; stored with the move, so a done story always shows its change.
  const change = await readStoryChange(target, adv.baseBefore, adv.commit, log);
  const moved = await inTx(db, async (tx) => {
    const s = await lockStory(tx, projectId, story.number);
    if (s.stage !== "merge") return false;
    await moveLocked(tx, s, "done", AUTOMATION.merge);
    await tx.story.update({ where: { id: s.id }, data: { mergeCommit: adv.commit, mergeFailure: null, retryCount: 0, blocked: false, blockedReason: null } });
    if (change) await recordStoryChange(tx, { storyId: s.id, commit: adv.commit, baseCommit: adv.baseBefore, baseBranch: target.baseBranch, ...change });
    await logProjectEvent(tx, {
      projectId,
      storyId,
      kind: "merged",
      message: `Story ${s.number} merged into ${target.baseBranch} as ${adv.commit.slice(0, 10)} (${adv.method}; ${adv.facts?.changedFiles.length ?? 0} file(s) changed)`,
      payload: { commit: adv.commit, baseBefore: adv.baseBefore, method: adv.method, files: adv.facts?.changedFiles ?? [] },
      actor: AUTOMATION.merge,
    });
    return true;
  });
  if (!moved) log.warn({ story: story.number }, "merged, but the story had left merge meanwhile");
  await teardownStory(db, story, project, target, log);
  return "done";
}

function conflictBrief(t: MergeTarget, conflicts: string[]): string {
  return [
    `Merging story ${t.storyNumber} (${t.storyBranch}) into ${t.baseBranch} conflicts in:`,
    ...conflicts.map((c) => `- ${c}`),
    "",
    `You are in the merge worktree ${t.worktreePath} on branch ${mergeBranchName(t.storyNumber)}. Resolve every conflict (no conflict markers may remain), keep both sides' intent, stage the files, and finish. The gates run again after you exit.`,
  ].join("\n");
}

async function recordFailure(db: Db, story: Story, t: MergeTarget, reason: string): Promise<MergeOutcome> {
  // One transaction: the failure and its announcement (outbox rows) are written together or not at all.
  await inTx(db, async (tx) => {
    await tx.story.updateMany({ where: { id: story.id, stage: "merge" }, data: { mergeFailure: reason } });
    await logProjectEvent(tx, {
      projectId: story.projectId,
      storyId: story.id,
      kind: "merge_failed",
      message: `Story ${story.number} stays in merge: ${reason}`,
      actor: AUTOMATION.merge,
    });
  });
  // The next attempt (after a person unblocks) starts from a fresh merge worktree.
  await removeMergeWorktree(t.repoPath, t.worktreePath);
  return "merge_failure";
}

/** Conflicts or failing gates: a mergemaster works in the merge worktree; gates run again after it. */
async function handOff(
  db: Db,
  story: Story,
  project: Project,
  t: MergeTarget,
  brief: string,
  event: (k: string, m: string) => Promise<unknown>,
  log: Logger,
): Promise<MergeOutcome> {
  const mergemaster = await db.agent.findFirst({ where: { projectId: project.id, stage: "mergemaster", enabled: true }, orderBy: { id: "asc" } });
  const pinned = story.agent ? await db.agent.findFirst({ where: { projectId: project.id, name: story.agent, stage: "mergemaster", enabled: true } }) : null;
  const agent = pinned ?? mergemaster;
  if (!agent) return recordFailure(db, story, t, `${brief.split("\n")[0]} and no mergemaster agent is configured`);
  try {
    await startAgent(
      db,
      {
        projectId: project.id,
        storyNumber: story.number,
        agentName: agent.name,
        context: brief,
        trigger: "merge_handoff",
        worktreePath: t.worktreePath,
        branch: mergeBranchName(story.number),
      },
      AUTOMATION.merge,
    );
    await event("mergemaster_started", `Story ${story.number}: ${agent.name} started in the merge worktree`);
    return "mergemaster";
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    log.info({ story: story.number, err: err.message }, "mergemaster not started yet");
    return "skipped";
  }
}
