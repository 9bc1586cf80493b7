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
