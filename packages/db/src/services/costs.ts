// Cost per session, story, agent and day. Claude reports its cost; for the other runtimes it is
// computed from tokens with the project's `prices` table (marked estimated), and a model with no
// price row counts its tokens only (marked unpriced), never a made-up zero.
import { z } from "zod";
import { estimateCost } from "@drover/core/runtimes/pricing";
import type { ModelPrice } from "@drover/core/config/types";
import type { DbOrTx } from "./tx.ts";
import { idSchema, parseInput } from "./validate.ts";
import { projectConfigFrom } from "@drover/core/config/stored-config";

export interface CostSession {
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number | null;
  costEstimated: boolean;
}

export interface SessionCost {
  /** Reported by the runtime, or estimated from tokens; undefined when unpriced. */
  costUsd?: number;
  source: "reported" | "estimated" | "unpriced";
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface CostTotal {
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  sessions: number;
  /** Sessions whose cost is an estimate from the price table. */
  estimatedSessions: number;
  /** Sessions with tokens but no price (their cost is missing from costUsd). */
  unpricedSessions: number;
  /** Models that had no price row. */
  unpricedModels: string[];
}

/** One session's cost: the runtime's own figure wins; else tokens times the project's prices. */
function sessionCost(s: CostSession, prices: Record<string, ModelPrice> | undefined): SessionCost {
  const tokens = { inputTokens: s.inputTokens, outputTokens: s.outputTokens, cacheReadTokens: s.cacheReadTokens, cacheWriteTokens: s.cacheWriteTokens };
  if (s.costUsd !== null && !s.costEstimated) return { ...tokens, costUsd: s.costUsd, source: "reported" };
  const est = estimateCost(s.model, tokens, prices);
  if (est.priced) return { ...tokens, costUsd: est.costUsd, source: "estimated" };
  return { ...tokens, source: "unpriced" };
}

function emptyTotal(): CostTotal {
  return {
    costUsd: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    sessions: 0,
    estimatedSessions: 0,
    unpricedSessions: 0,
    unpricedModels: [],
  };
}

function add(t: CostTotal, c: SessionCost, model: string | null): void {
  t.sessions++;
  t.inputTokens += c.inputTokens;
  t.outputTokens += c.outputTokens;
  t.cacheReadTokens += c.cacheReadTokens;
  t.cacheWriteTokens += c.cacheWriteTokens;
  if (c.costUsd !== undefined) t.costUsd = Math.round((t.costUsd + c.costUsd) * 1e8) / 1e8;
  if (c.source === "estimated") t.estimatedSessions++;
  if (c.source === "unpriced" && c.inputTokens + c.outputTokens + c.cacheReadTokens + c.cacheWriteTokens > 0) {
    t.unpricedSessions++;
    const m = model ?? "(no model)";
    if (!t.unpricedModels.includes(m)) t.unpricedModels.push(m);
  }
}

const costsInput = z.object({
  projectId: idSchema,
  storyId: idSchema.optional(),
  agentId: idSchema.optional(),
  /** Inclusive lower bound on the session's start (or creation) time. */
  from: z.coerce.date().optional(),
  /** Exclusive upper bound. */
  to: z.coerce.date().optional(),
});

export interface ProjectCosts {
  total: CostTotal;
  bySession: Array<SessionCost & { sessionId: number; storyId: number; agentId: number; agentName: string; model: string | null; day: string }>;
  byStory: Record<number, CostTotal>;
  byAgent: Record<string, CostTotal>;
  /** UTC day (YYYY-MM-DD) of the session's start. */
  byDay: Record<string, CostTotal>;
}

/** What pricing a session reads: its token counts and the cost, reported or estimated. */
const usageFields = {
  inputTokens: true,
  outputTokens: true,
  cacheReadTokens: true,
  cacheWriteTokens: true,
  costUsd: true,
  costEstimated: true,
} as const;

/** Costs of a project's sessions, optionally for one story or agent and a time window. */
export async function projectCosts(db: DbOrTx, input: z.input<typeof costsInput>): Promise<ProjectCosts> {
  const q = parseInput(costsInput, input);
  const project = await db.project.findUniqueOrThrow({ where: { id: q.projectId }, select: { config: true } });
  const prices = projectConfigFrom(project.config).prices;
  const when = q.from || q.to ? { gte: q.from, lt: q.to } : undefined;
  const rows = await db.agentSession.findMany({
    where: {
      projectId: q.projectId,
      ...(q.storyId ? { storyId: q.storyId } : {}),
      ...(q.agentId ? { agentId: q.agentId } : {}),
      ...(when ? { OR: [{ startedAt: when }, { startedAt: null, createdAt: when }] } : {}),
    },
    select: {
      id: true,
      storyId: true,
      agentId: true,
      model: true,
      startedAt: true,
      createdAt: true,
      ...usageFields,
      agent: { select: { name: true, model: true } },
    },
    orderBy: { id: "asc" },
  });
  const out: ProjectCosts = { total: emptyTotal(), bySession: [], byStory: {}, byAgent: {}, byDay: {} };
  for (const r of rows) {
    const model = r.model ?? r.agent.model;
    const c = sessionCost({ ...r, model }, prices);
    const day = (r.startedAt ?? r.createdAt).toISOString().slice(0, 10);
    out.bySession.push({ ...c, sessionId: r.id, storyId: r.storyId, agentId: r.agentId, agentName: r.agent.name, model, day });
    add(out.total, c, model);
    out.byStory[r.storyId] ??= emptyTotal();
    out.byAgent[r.agent.name] ??= emptyTotal();
    out.byDay[day] ??= emptyTotal();
    add(out.byStory[r.storyId], c, model);
    add(out.byAgent[r.agent.name], c, model);
    add(out.byDay[day], c, model);
  }
  return out;
}

/** A project's spend on one UTC day (for daily_budget_usd). */
export async function dailySpend(db: DbOrTx, projectId: number, day: Date = new Date()): Promise<CostTotal> {
  const from = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
  const to = new Date(from.getTime() + 86_400_000);
  return (await projectCosts(db, { projectId, from, to })).total;
}

/**
 * Stores the estimate on a finished session that reported no cost (costEstimated = true), so
 * lists and sums in SQL see it. A reported cost is never overwritten. Returns the stored cost.
 */
export async function recordEstimatedCost(db: DbOrTx, sessionId: number): Promise<number | undefined> {
  const s = await db.agentSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      model: true,
      ...usageFields,
      agent: { select: { model: true } },
      project: { select: { config: true } },
    },
  });
  const c = sessionCost({ ...s, model: s.model ?? s.agent.model }, projectConfigFrom(s.project.config).prices);
  if (c.source !== "estimated") return c.costUsd;
  await db.agentSession.updateMany({
    where: { id: sessionId, OR: [{ costUsd: null }, { costEstimated: true }] },
    data: { costUsd: c.costUsd, costEstimated: true },
  });
  return c.costUsd;
}
