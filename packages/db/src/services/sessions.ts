// Stop and fail requests from users and the pipeline; the transitions themselves are in ../sessions/.
import type { Actor } from "@drover/core/audit/actor";
import { actorLabel } from "@drover/core/audit/actor";
import { notFound } from "@drover/core/errors";
import type { Db } from "../client.ts";
import type { AgentSession } from "../generated/prisma/client.ts";
import { CHANNELS, notify } from "../notify.ts";
import { failPending, requestStopOfRunning, stopPending } from "../sessions/index.ts";
import { logProjectEvent } from "./events.ts";
import { holdLocked } from "./story-hold.ts";
import { inTx, lockStory, type DbOrTx, type Tx } from "./tx.ts";

/**
 * Stops a session: a pending one is stopped at once; a running one gets stop_requested_at and a
 * NOTIFY, and the runner that owns it kills the process and marks it stopped.
 */
export async function requestStop(tx: Tx, s: AgentSession, reason: string, message: string): Promise<"stopped" | "stop_requested"> {
  if (s.status === "pending") {
    await stopPending(tx, s.id, reason, message);
    await notify(tx, CHANNELS.sessions, { sessionId: s.id, projectId: s.projectId, stop: true });
    return "stopped";
  }
  await requestStopOfRunning(tx, s.id, message);
  await notify(tx, CHANNELS.sessions, { sessionId: s.id, projectId: s.projectId, stop: true });
  return "stop_requested";
}

/** A person stopping an agent: the session stops and the story is held for them (auto-assign skips it). */
export async function stopAgent(db: Db, input: { projectId: number; storyNumber: number; agentName: string }, actor: Actor) {
  return inTx(db, async (tx) => {
    const story = await lockStory(tx, input.projectId, input.storyNumber);
    const agent = await tx.agent.findUnique({ where: { projectId_name: { projectId: input.projectId, name: input.agentName } } });
    if (!agent) throw notFound(`No agent named ${input.agentName} in this project's roster`);
    const s = await tx.agentSession.findFirst({ where: { storyId: story.id, agentId: agent.id, status: { in: ["pending", "running"] } } });
    if (!s) throw notFound(`${agent.name} is not running on story ${story.number}`);
    const by = actorLabel(actor);
    const result = await requestStop(tx, s, "user_stop", `Stopped by ${by}`);
    await holdLocked(tx, story, actor);
    await logProjectEvent(tx, {
      projectId: input.projectId,
      storyId: story.id,
      sessionId: s.id,
      agentName: agent.name,
      kind: "agent_stopped",
      message: `${agent.name} ${result === "stopped" ? "stopped" : "asked to stop"} on story ${story.number}`,
      actor,
    });
    return { sessionId: s.id, result, heldBy: by };
  });
}

/**
 * Rule 8: a pending session that cannot run (spawn error, worktree failure ...) is marked failed
 * with the reason, so it never blocks auto-assign. Returns false when it was no longer pending.
 */
export async function failPendingSession(db: Db, input: { sessionId: number; reason: string; message: string }, actor: Actor): Promise<boolean> {
  return inTx(db, async (tx) => {
    if (!(await failPending(tx, input.sessionId, input.reason, input.message))) return false;
    const s = await tx.agentSession.findUniqueOrThrow({ where: { id: input.sessionId }, include: { agent: true, story: true } });
    await logProjectEvent(tx, {
      projectId: s.projectId,
      storyId: s.storyId,
      sessionId: s.id,
      agentName: s.agent.name,
      kind: "agent_failed",
      message: `${s.agent.name} could not start on story ${s.story.number}: ${input.message}`,
      actor,
    });
    await notify(tx, CHANNELS.sessions, { sessionId: s.id, projectId: s.projectId });
    return true;
  });
}

export function listSessions(db: DbOrTx, where: { projectId: number; storyNumber?: number; agentName?: string; take?: number }) {
  return db.agentSession.findMany({
    where: {
      projectId: where.projectId,
      ...(where.storyNumber !== undefined ? { story: { number: where.storyNumber } } : {}),
      ...(where.agentName !== undefined ? { agent: { name: where.agentName } } : {}),
    },
    orderBy: { id: "desc" },
    take: where.take ?? 100,
    include: { agent: { select: { name: true, stage: true } }, story: { select: { number: true, title: true } } },
  });
}

export async function getSession(db: DbOrTx, sessionId: number) {
  const s = await db.agentSession.findUnique({
    where: { id: sessionId },
    include: { agent: { select: { name: true, stage: true } }, story: { select: { number: true, title: true } } },
  });
  if (!s) throw notFound(`No session #${sessionId}`);
  return s;
}
