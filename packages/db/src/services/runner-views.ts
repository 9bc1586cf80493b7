// The runners page: every runner process, live first, with what it runs now.
import type { RunnerCapabilities } from "@drover/core/runtimes/capabilities";
import { ACTIVE_SESSION_STATUSES } from "./agent-views.ts";
import type { DbOrTx } from "./tx.ts";

/** Runners, live first, with the sessions they run now. */
export async function runnersView(db: DbOrTx) {
  const runners = await db.runner.findMany({
    orderBy: [{ stoppedAt: { sort: "desc", nulls: "first" } }, { heartbeatAt: "desc" }],
    take: 100,
    include: {
      sessions: {
        where: { status: { in: [...ACTIVE_SESSION_STATUSES] } },
        include: { agent: { select: { name: true } }, story: { select: { id: true, number: true, title: true } } },
      },
    },
  });
  const now = Date.now();
  return runners.map(({ sessions, capabilities, ...r }) => ({
    ...r,
    /** Per runtime: CLI path and version, credential sources by name (the runner never records values). */
    capabilities: capabilities as RunnerCapabilities | null,
    heartbeatAgeMs: now - r.heartbeatAt.getTime(),
    sessions: sessions.map((s) => ({ id: s.id, status: s.status, agentName: s.agent.name, story: s.story })),
  }));
}

/** A runner is live while its heartbeat is this recent (a dead one's capabilities no longer count). */
const LIVE_SECS = 60;

/**
 * Live runners and what each recorded it can run, by id (claims' waiting reasons, the doctor view).
 * With `projectId`, only the runners that serve that project (a scoped runner's capabilities count
 * only for the projects it serves: `drover runner --projects`).
 */
export async function liveRunnerCapabilities(
  db: DbOrTx,
  projectId?: number,
): Promise<Array<{ id: string; host: string; capabilities: RunnerCapabilities | null; secretKeyId: string | null; projectIds: number[] }>> {
  const rows = await db.runner.findMany({
    where: {
      stoppedAt: null,
      heartbeatAt: { gt: new Date(Date.now() - LIVE_SECS * 1000) },
      ...(projectId === undefined ? {} : { OR: [{ projectIds: { isEmpty: true } }, { projectIds: { has: projectId } }] }),
    },
    orderBy: { id: "asc" },
    select: { id: true, host: true, capabilities: true, secretKeyId: true, projectIds: true },
  });
  return rows.map((r) => ({ ...r, capabilities: r.capabilities as RunnerCapabilities | null }));
}
