// The auto-assign pass for one project: a snapshot of the board goes through the pure planner,
// and each pick goes through startAgent, which re-checks every rule and the story's eligibility
// atomically (autoAssign: true). Runners may run
// passes at once (the advisory lock only saves work; correctness comes from startAgent).
import { planAutoAssign, type AssignPlan, type AssignStory } from "@drover/core/automation/assignment-plan";
import { utcDayStart } from "@drover/core/automation/budget";
import { WORKER_STAGE, type AgentStage } from "@drover/core/automation/types";
import { DomainError } from "@drover/core/errors";
import type { Db } from "@drover/db";
import { logProjectEvent, startAgent } from "@drover/db/services/index";
import type { Logger } from "pino";
import { projectConfigFrom } from "@drover/core/config/stored-config";
import { pipelineSettings } from "./settings.ts";
import { AUTOMATION } from "./actors.ts";

const RESUME_NOTE =
  "Drover: your previous session on this story was interrupted because its runner was lost. Check the state of the worktree and continue where you left off.";

async function spentToday(db: Db, projectId: number, now = new Date()): Promise<number> {
  const agg = await db.agentSession.aggregate({ where: { projectId, createdAt: { gte: utcDayStart(now) } }, _sum: { costUsd: true } });
  return agg._sum.costUsd ?? 0;
}

export async function planForProject(
  db: Db,
  projectId: number,
  now = new Date(),
): Promise<{ plan: AssignPlan; resumeOf: Map<number, { id: number; stage: string; worktreePath: string | null; branch: string | null }> }> {
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId } });
  const settings = pipelineSettings(projectConfigFrom(project.config));
  const stories = await db.story.findMany({ where: { projectId, stage: { in: ["current", "qa", "merge", "done", "archived"] } } });
  const active = await db.agentSession.findMany({
    where: { projectId, status: { in: ["pending", "running"] } },
    select: { storyId: true, stage: true, agentId: true },
  });
  const agents = await db.agent.findMany({ where: { projectId }, orderBy: { id: "asc" } });
  // An agent whose last session ended but whose verdict is not applied yet stays reserved: the
  // verdict may restart it on the same story (a retry carrying the failure output).
  const awaiting = await db.agentSession.findMany({
    where: { projectId, handledAt: null, status: { in: ["completed", "failed", "stopped"] } },
    select: { agentId: true },
  });
  const busyAgents = new Set([...active, ...awaiting].map((a) => a.agentId));
  const activeByStory = new Map<number, AgentStage[]>();
  for (const a of active) activeByStory.set(a.storyId, [...(activeByStory.get(a.storyId) ?? []), a.stage]);

  const working = stories.filter((s) => s.stage === "current" || s.stage === "qa" || s.stage === "merge");
  const resumeOf = new Map<number, { id: number; stage: string; worktreePath: string | null; branch: string | null }>();
  const snapshot: AssignStory[] = [];
  for (const s of working) {
    const need = WORKER_STAGE[s.stage]!;
    let interrupted: AssignStory["interrupted"] = null;
    let awaitingVerdict = false;
    if (!(activeByStory.get(s.id) ?? []).includes(need)) {
      const last = await db.agentSession.findFirst({ where: { storyId: s.id, stage: need }, orderBy: { id: "desc" }, include: { agent: true } });
      // Its runner has not applied the after-session decision yet (retry, advance ...): wait for it.
      if (last && last.createdAt >= s.stageChangedAt && !last.handledAt && last.status !== "interrupted") awaitingVerdict = true;
      if (last?.status === "interrupted" && last.createdAt >= s.stageChangedAt) {
        interrupted = { agentName: last.agent.name, reason: last.reason };
        resumeOf.set(s.id, { id: last.id, stage: last.stage, worktreePath: last.worktreePath, branch: last.branch });
      }
    }
    snapshot.push({
      id: s.id,
      number: s.number,
      kind: s.kind,
      stage: s.stage,
      position: s.position,
      agent: s.agent,
      qa: s.qa,
      blocked: s.blocked,
      heldBy: s.heldBy,
      mergeFailure: s.mergeFailure,
      reviewHold: s.reviewHold,
      dependsOn: s.dependsOn,
      activeStages: activeByStory.get(s.id) ?? [],
      interrupted,
      awaitingVerdict,
    });
  }
  const plan = planAutoAssign({
    stories: snapshot,
    doneNumbers: new Set(stories.filter((s) => s.stage === "done" || s.stage === "archived").map((s) => s.number)),
    agents: agents.map((a) => ({
      name: a.name,
      stage: a.stage,
      model: a.model,
      enabled: a.enabled,
      busy: busyAgents.has(a.id),
      throttledUntil: a.throttledUntil,
    })),
    activeCoders: active.filter((a) => a.stage === "coder").length,
    settings,
    spentTodayUsd: settings.dailyBudgetUsd ? await spentToday(db, projectId, now) : 0,
    now,
  });
  return { plan, resumeOf };
}

/** Runs the starts of a pass; returns the story ids waiting for a merge attempt. */
export async function autoAssignProject(db: Db, projectId: number, log: Logger): Promise<number[]> {
  const now = new Date();
  const { plan, resumeOf } = await planForProject(db, projectId, now);
  if (plan.halted) {
    const already = await db.projectEvent.findFirst({ where: { projectId, kind: "auto_assign_halted", at: { gte: utcDayStart(now) } } });
    if (!already)
      await logProjectEvent(db, { projectId, kind: "auto_assign_halted", message: `Auto-assign stopped: ${plan.halted}`, actor: AUTOMATION.autoAssign });
    return [];
  }
  const merges: number[] = [];
  for (const pick of plan.picks) {
    if (pick.kind === "merge") {
      merges.push(pick.storyId);
      continue;
    }
    try {
      const resume = pick.trigger === "resume" ? resumeOf.get(pick.storyId) : undefined;
      await startAgent(
        db,
        {
          projectId,
          storyNumber: pick.storyNumber,
          agentName: pick.agentName,
          trigger: pick.trigger,
          autoAssign: true,
          ...(resume ? { resumeOfSessionId: resume.id, context: RESUME_NOTE } : {}),
          ...(resume?.stage === "mergemaster" && resume.worktreePath && resume.branch ? { worktreePath: resume.worktreePath, branch: resume.branch } : {}),
        },
        AUTOMATION.autoAssign,
      );
    } catch (err) {
      // Another runner's pass (or a person) got there first: fine, the rules held.
      if (!(err instanceof DomainError)) throw err;
      log.debug({ story: pick.storyNumber, agent: pick.agentName, err: err.message }, "auto-assign start refused");
    }
  }
  return merges;
}
