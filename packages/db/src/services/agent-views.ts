// What the web shows of agents: each agent's live status (computed here only), the roster with who
// is busy where, and one agent with its recent sessions.
import { notFound } from "@drover/core/errors";
import type { DbOrTx } from "./tx.ts";
import { redactAgent } from "./redact.ts";

export type AgentLiveStatus = "idle" | "running" | "pending" | "throttled" | "blocked";

/** Session statuses that occupy an agent. */
export const ACTIVE_SESSION_STATUSES = ["pending", "running"] as const;

/** An agent's status from its active session (if any): a throttled agent shows throttled while it has one. */
export function agentLiveStatus(agent: { throttledUntil: Date | null }, activeStatus: string | null | undefined, now = Date.now()): AgentLiveStatus {
  if (!activeStatus) return "idle";
  if (agent.throttledUntil && agent.throttledUntil.getTime() > now) return "throttled";
  return activeStatus === "running" ? "running" : "pending";
}

/** Wall time of a session so far (or in all), null before it started. */
export function durationMs(s: { startedAt: Date | null; finishedAt: Date | null }): number | null {
  if (!s.startedAt) return null;
  return (s.finishedAt ?? new Date()).getTime() - s.startedAt.getTime();
}

/** The roster with who is busy where. */
export async function agentsView(db: DbOrTx, projectId: number) {
  const agents = await db.agent.findMany({
    where: { projectId },
    orderBy: [{ stage: "asc" }, { name: "asc" }],
    include: {
      sessions: {
        where: { status: { in: [...ACTIVE_SESSION_STATUSES] } },
        include: { story: { select: { id: true, number: true, title: true, stage: true } } },
      },
      _count: { select: { sessions: true } },
    },
  });
  const now = Date.now();
  return agents.map(({ sessions, _count, ...a }) => ({
    ...redactAgent(a),
    sessionCount: _count.sessions,
    active: sessions[0] ? { id: sessions[0].id, status: sessions[0].status, story: sessions[0].story } : null,
    status: agentLiveStatus(a, sessions[0]?.status, now),
  }));
}

/** One agent with its latest 200 sessions. */
export async function agentView(db: DbOrTx, agentId: number) {
  const agent = await db.agent.findUnique({
    where: { id: agentId },
    include: {
      project: { select: { id: true, name: true } },
      sessions: {
        orderBy: { createdAt: "desc" },
        take: 200,
        include: { story: { select: { id: true, number: true, title: true } } },
      },
    },
  });
  if (!agent) throw notFound(`Agent ${agentId} not found`);
  const { sessions, ...rest } = agent;
  return {
    ...redactAgent(rest),
    sessions: sessions.map((s) => ({
      id: s.id,
      status: s.status,
      reason: s.reason,
      story: s.story,
      createdAt: s.createdAt,
      durationMs: durationMs(s),
      turns: s.turns,
      costUsd: s.costUsd,
    })),
  };
}
