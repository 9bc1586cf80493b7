// afterEnd: apply the after-session decision with conditional writes, so a verdict that arrives
// late (the story moved on, another runner already acted) changes nothing.
import type { Actor } from "@drover/core/audit/actor";
import { decideAfterSession, type AfterSessionDecision } from "@drover/core/automation/after-session";
import { markHandled } from "@drover/db/sessions/index";
import { failureKind } from "@drover/core/automation/failure-kind";
import { DomainError } from "@drover/core/errors";
import type { Db } from "@drover/db";
import { blockStory, inTx, lockStory, logProjectEvent, moveLocked, startAgent } from "@drover/db/services/index";
import type { Logger } from "pino";
import type { SessionEndContext } from "../runner/lifecycle.ts";
import { LOCK_SPACE, withAdvisoryLock } from "./locks.ts";
import type { CompletionReport } from "./on-exit.ts";
import { projectConfigFrom } from "@drover/core/config/stored-config";
import { pipelineSettings } from "./settings.ts";
import { AUTOMATION } from "./actors.ts";

/** Consecutive earlier sessions on the story and stage that ended as crashes / rate limits. */
async function priorStreaks(db: Db, storyId: number, stage: string, beforeId: number) {
  const prior = await db.agentSession.findMany({
    where: { storyId, stage: stage as never, id: { lt: beforeId }, status: { in: ["completed", "failed", "stopped"] } },
    orderBy: { id: "desc" },
    take: 20,
    select: { status: true, reason: true },
  });
  let crashes = 0;
  for (const p of prior) {
    if (failureKind(p.status, p.reason) !== "crash") break;
    crashes++;
  }
  let backoffs = 0;
  for (const p of prior) {
    if (failureKind(p.status, p.reason) !== "rate_limited") break;
    backoffs++;
  }
  return { crashes, backoffs };
}

export async function pipelineAfterEnd(databaseUrl: string, ctx: SessionEndContext, log: Logger): Promise<AfterSessionDecision | null> {
  if (!ctx.written) return null; // a newer attempt owns the session and will decide
  return applyAfterSession(databaseUrl, ctx.db, ctx.session.id, ctx.status, ctx.reason, log);
}

/**
 * Decides and applies, once: appliers (this runner's afterEnd, any runner's orphan sweep) take an
 * advisory lock on the session, and handled_at is set only after the decision is applied. Until
 * then auto-assign leaves the story alone, so a retry cannot race a fresh auto-assigned start.
 */
export async function applyAfterSession(
  databaseUrl: string,
  db: Db,
  sessionId: number,
  status: SessionEndContext["status"],
  reason: string,
  log: Logger,
): Promise<AfterSessionDecision | null> {
  const r = await withAdvisoryLock(databaseUrl, LOCK_SPACE.verdict, sessionId, async () => {
    const row = await db.agentSession.findUnique({ where: { id: sessionId }, select: { handledAt: true } });
    if (!row || row.handledAt) return null;
    try {
      return await decideAndApply(db, sessionId, status, reason, log);
    } finally {
      await markHandled(db, sessionId);
    }
  });
  return r.ran ? r.value : null;
}

async function decideAndApply(
  db: Db,
  sessionId: number,
  status: SessionEndContext["status"],
  reason: string,
  log: Logger,
): Promise<AfterSessionDecision | null> {
  const ctx = { status, reason };
  const session = await db.agentSession.findUniqueOrThrow({ where: { id: sessionId }, include: { agent: true, story: true, project: true } });
  const story = session.story;
  const report = (session.report ?? {}) as unknown as CompletionReport;
  const streak = await priorStreaks(db, story.id, session.stage, session.id);
  const decision = decideAfterSession({
    session: {
      agentStage: session.stage,
      status: ctx.status,
      reason: ctx.reason,
      message: session.message,
      failureOutput: ctx.reason === "gate_failed" || ctx.reason === "uncommitted_changes" || ctx.reason === "merge_conflict" ? session.message : null,
      rateLimitResetsAt: report.rateLimitResetsAt ?? null,
    },
    story: { stage: story.stage, kind: story.kind, qa: story.qa, retryCount: story.retryCount, blocked: story.blocked },
    settings: pipelineSettings(projectConfigFrom(session.project.config)),
    priorCrashes: streak.crashes,
    priorBackoffs: streak.backoffs,
    now: new Date(),
  });
  log.info({ sessionId: session.id, story: story.number, decision }, "after session");
  const expectedStage = story.stage;
  const base = { projectId: session.projectId, storyNumber: story.number };

  switch (decision.action) {
    case "none":
    case "finish_merge": // the merge pass picks it up (the merge worktree is sealed and gated)
      return decision;
    case "advance":
    case "hold_for_review": {
      await inTx(db, async (tx) => {
        const s = await lockStory(tx, base.projectId, base.storyNumber);
        if (s.stage !== expectedStage || s.blocked) return; // moved or blocked meanwhile: not ours to advance
        if (decision.action === "advance") {
          await moveLocked(tx, s, decision.to, AUTOMATION.verdict, { keepSessionId: session.id });
          await tx.story.update({ where: { id: s.id }, data: { retryCount: 0, reviewHold: decision.reviewHold ?? false } });
        } else {
          await tx.story.update({ where: { id: s.id }, data: { reviewHold: true } });
        }
        await logProjectEvent(tx, {
          projectId: base.projectId,
          storyId: s.id,
          sessionId: session.id,
          agentName: session.agent.name,
          kind: decision.action === "advance" ? "pipeline_advanced" : "review_hold",
          message: `Story ${s.number}: ${decision.why}${decision.action === "advance" ? ` → ${decision.to}` : " (waiting for a person to approve or reject)"}`,
          actor: AUTOMATION.verdict,
        });
      });
      return decision;
    }
    case "retry": {
      // Count first, conditionally: two deciders can never both spend the same retry.
      const n = await db.story.updateMany({
        where: { id: story.id, stage: expectedStage, retryCount: story.retryCount, blocked: false },
        data: { retryCount: decision.retryCount },
      });
      if (!n.count) return { action: "none", why: "story changed meanwhile" };
      await restart(db, session, decision.message, "retry", decision.notBefore, AUTOMATION.retry, log);
      return decision;
    }
    case "restart_later":
      if (ctx.reason === "rate_limited")
        await restart(db, session, decision.message, "rate_limit_restart", decision.notBefore, AUTOMATION.rateLimitRestart, log);
      else await restart(db, session, decision.message, "crash_restart", decision.notBefore, AUTOMATION.crashRestart, log);
      return decision;
    case "block":
      await blockStory(db, { ...base, reason: decision.reason }, AUTOMATION.verdict);
      return decision;
  }
}

/** Restarts the same agent on the story, resuming its runtime session with only the new message. */
async function restart(
  db: Db,
  session: {
    id: number;
    projectId: number;
    stage: string;
    worktreePath: string | null;
    branch: string | null;
    story: { number: number; id: number };
    agent: { name: string };
  },
  message: string,
  trigger: string,
  notBefore: Date | undefined,
  actor: Actor,
  log: Logger,
): Promise<void> {
  try {
    await startAgent(
      db,
      {
        projectId: session.projectId,
        storyNumber: session.story.number,
        agentName: session.agent.name,
        resumeOfSessionId: session.id,
        context: message,
        trigger,
        ...(notBefore ? { notBefore } : {}),
        // A mergemaster keeps working in the merge worktree, not the story's.
        ...(session.stage === "mergemaster" && session.worktreePath && session.branch ? { worktreePath: session.worktreePath, branch: session.branch } : {}),
      },
      actor,
    );
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    log.warn({ err: err.message, story: session.story.number }, "restart refused");
    await logProjectEvent(db, {
      projectId: session.projectId,
      storyId: session.story.id,
      agentName: session.agent.name,
      kind: "restart_refused",
      message: `Restart of ${session.agent.name} refused: ${err.message}`,
      actor,
    });
  }
}

/** Sessions that ended without their decision applied (their runner died in between, or they ended without a runner). */
export async function applyOrphans(databaseUrl: string, db: Db, projectId: number, log: Logger, olderThanMs = 60_000): Promise<number> {
  const orphans = await db.agentSession.findMany({
    where: { projectId, handledAt: null, status: { in: ["completed", "failed", "stopped"] }, finishedAt: { lt: new Date(Date.now() - olderThanMs) } },
    orderBy: { id: "asc" },
    take: 50,
  });
  for (const o of orphans) await applyAfterSession(databaseUrl, db, o.id, o.status as SessionEndContext["status"], o.reason ?? "", log);
  return orphans.length;
}
