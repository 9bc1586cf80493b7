// Slow-timer duties: agents throttled from rate-limit events, per-agent budgets enforced from
// reported cost, `done` stories swept to `archived` after done_retention_secs, and finished
// sessions' events compacted after event_retention_days.
import { agentOverBudget } from "@drover/core/automation/budget";
import { scheduleRateLimitRestart, parseResetTime } from "@drover/core/automation/rate-limit";
import type { Db } from "@drover/db";
import { blockStory, COMPACT_PER_PASS, compactProject, inTx, logProjectEvent, moveStory, requestStop } from "@drover/db/services/index";
import type { Logger } from "pino";
import { projectConfigFrom } from "@drover/core/config/stored-config";
import { agentSpec } from "./settings.ts";
import { AUTOMATION } from "./actors.ts";

/**
 * Marks agents throttled from rate-limit events newer than `sinceId` (of sessions in `projects`;
 * empty: every project); returns the new high-water mark.
 */
export async function throttleFromEvents(db: Db, sinceId: bigint, projects: readonly number[] = []): Promise<bigint> {
  const evs = await db.sessionEvent.findMany({
    where: { kind: "rate_limit", id: { gt: sinceId }, ...(projects.length ? { session: { projectId: { in: [...projects] } } } : {}) },
    orderBy: { id: "asc" },
    take: 500,
    include: { session: { select: { agentId: true, projectId: true, storyId: true, agent: { select: { name: true } } } } },
  });
  let max = sinceId;
  const now = new Date();
  for (const e of evs) {
    if (e.id > max) max = e.id;
    const p = (e.payload ?? {}) as { level?: string; resetsAt?: string };
    const until = parseResetTime(p.resetsAt) ?? scheduleRateLimitRestart(null, now, 0).notBefore;
    if (until.getTime() <= now.getTime()) continue;
    // One transaction: the throttle and its announcement (outbox rows) are written together or not at all.
    await inTx(db, async (tx) => {
      await tx.agent.updateMany({
        where: { id: e.session.agentId, OR: [{ throttledUntil: null }, { throttledUntil: { lt: until } }] },
        data: { throttledUntil: until },
      });
      await logProjectEvent(tx, {
        projectId: e.session.projectId,
        storyId: e.session.storyId,
        sessionId: e.sessionId,
        agentName: e.session.agent.name,
        kind: "agent_throttled",
        message: `${e.session.agent.name} is rate limited (${p.level ?? "warning"}) until ${until.toISOString()}`,
        payload: { level: p.level ?? "warning", until: until.toISOString() },
        actor: AUTOMATION.rateLimit,
      });
    });
  }
  return max;
}

export async function latestEventId(db: Db): Promise<bigint> {
  const r = await db.sessionEvent.aggregate({ _max: { id: true } });
  return r._max.id ?? 0n;
}

/**
 * Stops running sessions (in `projects`; empty: every project) whose reported cost reached their
 * agent's max_budget_usd, and blocks the story.
 */
export async function enforceAgentBudgets(db: Db, log: Logger, projects: readonly number[] = []): Promise<number> {
  const running = await db.agentSession.findMany({
    where: { status: "running", costUsd: { not: null }, stopRequestedAt: null, ...(projects.length ? { projectId: { in: [...projects] } } : {}) },
    include: { agent: true, story: true },
  });
  let n = 0;
  for (const s of running) {
    const max = agentSpec(s.agent.config).max_budget_usd;
    if (!agentOverBudget(s.costUsd, max)) continue;
    const reason = `${s.agent.name} spent $${s.costUsd!.toFixed(2)} of its max_budget_usd $${max!.toFixed(2)} on story ${s.story.number}`;
    // Stop first, so the session keeps the budget reason (blocking stops it too, with its own words).
    await inTx(db, (tx) => requestStop(tx, s, "budget_exceeded", reason));
    await blockStory(db, { projectId: s.projectId, storyNumber: s.story.number, reason: `budget: ${reason}` }, AUTOMATION.budget);
    log.warn({ sessionId: s.id }, reason);
    n++;
  }
  return n;
}

/** Moves `done` stories older than done_retention_secs to `archived`. */
export async function sweepDone(db: Db, projectIds: number[], now = new Date()): Promise<number> {
  let n = 0;
  for (const projectId of projectIds) {
    const project = await db.project.findUnique({ where: { id: projectId } });
    if (!project) continue;
    const secs = projectConfigFrom(project.config).done_retention_secs ?? 14_400;
    const old = await db.story.findMany({
      where: { projectId, stage: "done", stageChangedAt: { lt: new Date(now.getTime() - secs * 1000) } },
      select: { number: true },
    });
    for (const s of old) {
      try {
        await moveStory(db, { projectId, storyNumber: s.number, to: "archived" }, AUTOMATION.archive);
        n++;
      } catch {
        /* moved by someone else meanwhile */
      }
    }
    if (old.length)
      await logProjectEvent(db, {
        projectId,
        kind: "archived",
        message: `Archived ${old.length} done stor${old.length === 1 ? "y" : "ies"} older than ${secs}s`,
        actor: AUTOMATION.archive,
      }).catch(() => {});
  }
  return n;
}

/** Compacts finished sessions older than each project's event_retention_days, at most `limit` per pass. */
export async function compactOldSessions(db: Db, projectIds: number[], log: Logger, limit = COMPACT_PER_PASS, now = new Date()): Promise<number> {
  let n = 0;
  for (const projectId of projectIds) {
    if (n >= limit) break;
    const r = await compactProject(db, projectId, { limit: limit - n, now });
    n += r.compacted.length;
    if (r.compacted.length) log.info({ projectId, sessions: r.compacted.length }, `compacted ${r.compacted.length} session log(s) older than ${r.days} days`);
  }
  return n;
}
