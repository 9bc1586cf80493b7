// Starting an agent on a story: rules 1-10 in one transaction, under row locks (the story, then
// the project's agents in id order), backed by the partial unique indexes on agent_sessions.
import path from "node:path";
import { z } from "zod";
import type { Actor } from "@drover/core/audit/actor";
import type { AgentConfig } from "@drover/core/config/types";
import { notAssignableBecause } from "@drover/core/automation/assignment-plan";
import { WORKER_STAGE } from "@drover/core/automation/types";
import { conflict, type DomainError, notFound } from "@drover/core/errors";
import { decideStart, type ActiveSession } from "@drover/core/pipeline/start-decision";
import { storyBranch, worktreeDirName, worktreeRoot } from "@drover/core/pipeline/workspace";
import { buildFirstTurn } from "@drover/core/prompts/first-turn";
import { templateVars } from "@drover/core/prompts/template";
import type { Db } from "../client.ts";
import type { AgentSession, Story } from "../generated/prisma/client.ts";
import { CHANNELS, notify } from "../notify.ts";
import { createPending } from "../sessions/index.ts";
import { logProjectEvent } from "./events.ts";
import { projectConfigFrom } from "@drover/core/config/stored-config";
import { redactAgent } from "./redact.ts";
import { moveLocked, unblockLocked } from "./stories.ts";
import { releaseLocked } from "./story-hold.ts";
import { inTx, lockStory, uniqueViolation, type DbOrTx, type Tx } from "./tx.ts";
import { idSchema, textSchema, parseInput } from "./validate.ts";

export const startAgentInput = z.object({
  projectId: idSchema,
  storyNumber: idSchema,
  agentName: textSchema.trim().min(1).max(100).optional(),
  resumeOfSessionId: idSchema.optional(),
  context: textSchema.max(100_000).optional(),
  fresh: z.boolean().optional(),
  /** user, auto_assign, retry, resume, recovery ... */
  trigger: textSchema.min(1).max(40),
  /** Pipeline: not claimable before this time (scheduled rate-limit / backoff restarts). */
  notBefore: z.date().optional(),
  /** Pipeline: run somewhere other than the story's worktree (the mergemaster in the merge worktree). */
  worktreePath: textSchema.min(1).optional(),
  branch: textSchema.min(1).optional(),
  /** Auto-assign: the pick came from a board snapshot; re-check the story is still eligible. */
  autoAssign: z.boolean().optional(),
  /** A person unblocking the story and resuming its last session in one step (all or nothing). */
  unblock: z.boolean().optional(),
});
export type StartAgentInput = z.input<typeof startAgentInput>;

const MAX_RECENT_EVENTS = 50;

/** Rule 9: story activity since the agent's last session on it, not counting its own. */
async function missedEvents(tx: Tx, storyId: number, agentId: number, agentName: string) {
  const last = await tx.agentSession.findFirst({ where: { storyId, agentId }, orderBy: { id: "desc" } });
  if (!last) return [];
  const since = last.finishedAt ?? last.startedAt ?? last.createdAt;
  const events = await tx.projectEvent.findMany({
    where: { storyId, at: { gt: since }, OR: [{ agentName: null }, { agentName: { not: agentName } }] },
    orderBy: { id: "desc" },
    take: MAX_RECENT_EVENTS,
  });
  return events.reverse();
}

function storyMarkdown(story: Story): string {
  return /^#\s/m.test(story.body) ? story.body : `# Story ${story.number}: ${story.title}\n\n${story.body}`;
}

type Outcome = { session: AgentSession } | { error: DomainError };

export async function startAgent(db: Db, input: StartAgentInput, actor: Actor): Promise<AgentSession> {
  const i = parseInput(startAgentInput, input);
  let outcome: Outcome;
  try {
    outcome = await inTx(db, (tx) => startInTx(tx, i, actor));
  } catch (err) {
    // The locks make this unreachable in practice; the indexes are the backstop.
    const v = uniqueViolation(err);
    if (v === "agent_sessions_one_active_per_agent")
      throw conflict(`${i.agentName ?? "The agent"} is already busy (another start won the race); try again when it is free`);
    if (v === "agent_sessions_one_active_per_story_stage")
      throw conflict(`Story ${i.storyNumber} already has an agent of that stage running (another start won the race)`);
    throw err;
  }
  if ("error" in outcome) throw outcome.error;
  return outcome.session;
}

/**
 * Auto-assign plans from a snapshot; by the time it starts, the story may have been blocked, held
 * or be waiting for the verdict on a session that just ended, and the agent may be reserved for
 * its own retry. Checked under the story's row lock, which every writer of those fields takes too;
 * a verdict marks its session handled only after the retry it starts is committed.
 */
async function assertStillAssignable(tx: Tx, story: Story, agentName: string | undefined): Promise<void> {
  const need = WORKER_STAGE[story.stage];
  const last = need
    ? await tx.agentSession.findFirst({
        where: { storyId: story.id, stage: need },
        orderBy: { id: "desc" },
        select: { createdAt: true, handledAt: true, status: true },
      })
    : null;
  const awaitingVerdict = !!last && last.createdAt >= story.stageChangedAt && !last.handledAt && ["completed", "failed", "stopped"].includes(last.status);
  const done = story.dependsOn.length
    ? await tx.story.findMany({
        where: { projectId: story.projectId, number: { in: story.dependsOn }, stage: { in: ["done", "archived"] } },
        select: { number: true },
      })
    : [];
  const why = notAssignableBecause({ ...story, awaitingVerdict }, new Set(done.map((d) => d.number)));
  if (why) throw conflict(`Story ${story.number} is no longer up for auto-assign: ${why}`);
  // The agent's own last session may be about to be retried by its verdict: keep it for that.
  if (agentName) {
    const unhandled = await tx.agentSession.count({
      where: { projectId: story.projectId, agent: { name: agentName }, handledAt: null, status: { in: ["completed", "failed", "stopped"] } },
    });
    if (unhandled) throw conflict(`${agentName} is not up for auto-assign: waiting for the pipeline's decision on its last session`);
  }
}

async function startInTx(tx: Tx, i: z.output<typeof startAgentInput>, actor: Actor): Promise<Outcome> {
  const project = await tx.project.findUnique({ where: { id: i.projectId } });
  if (!project) throw notFound(`No project #${i.projectId}`);
  const config = projectConfigFrom(project.config);
  let story = await lockStory(tx, i.projectId, i.storyNumber);
  if (i.autoAssign) await assertStillAssignable(tx, story, i.agentName);
  if (i.unblock && story.blocked) story = await unblockLocked(tx, story, actor);
  // A person starting or resuming releases the hold a Stop left (rolled back if the start is refused).
  if (!i.autoAssign && (i.trigger === "user" || i.trigger === "resume")) {
    story = await releaseLocked(tx, story, actor, i.resumeOfSessionId !== undefined ? "resumed" : "restarted");
  }

  let agentName = i.agentName;
  let resumeOf: AgentSession | null = null;
  if (i.resumeOfSessionId !== undefined) {
    resumeOf = await tx.agentSession.findUnique({ where: { id: i.resumeOfSessionId }, include: { agent: true } });
    if (!resumeOf || resumeOf.storyId !== story.id) throw notFound(`No session #${i.resumeOfSessionId} on story ${story.number}`);
    agentName ??= (resumeOf as AgentSession & { agent: { name: string } }).agent.name;
  }

  // Lock the roster in a fixed order so concurrent starts on different stories serialize on agents.
  await tx.$queryRaw`SELECT id FROM agents WHERE project_id = ${i.projectId} ORDER BY id FOR UPDATE`;
  const agents = await tx.agent.findMany({ where: { projectId: i.projectId }, orderBy: { id: "asc" } });
  const activeRows = await tx.agentSession.findMany({
    where: { projectId: i.projectId, status: { in: ["pending", "running"] } },
    include: { agent: { select: { name: true } }, story: { select: { number: true } } },
  });
  const active: ActiveSession[] = activeRows.map((r) => ({
    agentName: r.agent.name,
    storyNumber: r.story.number,
    stage: r.stage,
    status: r.status as "pending" | "running",
  }));

  const decision = decideStart({
    story: { number: story.number, stage: story.stage, agent: story.agent },
    roster: agents.map((a) => ({ name: a.name, stage: a.stage, model: a.model, enabled: a.enabled, throttledUntil: a.throttledUntil })),
    active,
    config,
    agentName,
  });

  if (!decision.ok) {
    // Unblock-and-resume is one step: refused as a whole, so the story never runs on without the context.
    if (i.unblock) throw decision.error;
    // Queued outcomes keep their effect: the story waits in current (with its pin) for auto-assign.
    if (!decision.moveToCurrent && !decision.pin) throw decision.error;
    if (decision.moveToCurrent) story = (await moveLocked(tx, story, "current", actor, { agentName })).story;
    if (decision.pin && story.agent !== decision.pin) await tx.story.update({ where: { id: story.id }, data: { agent: decision.pin } });
    await logProjectEvent(tx, { projectId: i.projectId, storyId: story.id, kind: "story_queued", message: decision.error.message, actor });
    return { error: decision.error };
  }

  if (decision.moveToCurrent) story = (await moveLocked(tx, story, "current", actor, { agentName: decision.agent.name })).story;
  const agent = agents.find((a) => a.name === decision.agent.name)!;
  const spec = agent.config as unknown as AgentConfig;

  // Rule 10: resume the runtime session of this story, agent and model; a model change starts fresh.
  const prior = i.fresh
    ? null
    : await tx.agentSession.findFirst({
        where: { storyId: story.id, agentId: agent.id, model: agent.model, runtimeSessionId: { not: null } },
        orderBy: { id: "desc" },
      });
  const recent = await missedEvents(tx, story.id, agent.id, agent.name);

  const dir = worktreeDirName(story.number, story.slug);
  const worktreePath = i.worktreePath ?? path.join(worktreeRoot(project.repoPath, config.worktree_root), dir);
  const branch = i.branch ?? storyBranch(story.number, story.slug);
  const turn = buildFirstTurn({
    template: spec.prompt,
    vars: templateVars({ storyNumber: story.number, storyTitle: story.title, agentName: agent.name, worktreePath, branch, baseBranch: project.baseBranch }),
    story: storyMarkdown(story),
    recentEvents: recent.map((e) => ({ at: e.at, kind: e.kind, message: e.message, agentName: e.agentName })),
    context: i.context,
    resuming: prior !== null,
  });

  // Rule 8: registered as pending atomically with every check above.
  const session = await createPending(tx, {
    projectId: i.projectId,
    storyId: story.id,
    agentId: agent.id,
    stage: agent.stage,
    runtime: agent.runtime,
    model: agent.model,
    trigger: i.trigger,
    resumeOfId: resumeOf?.id ?? null,
    resumeContext: i.context ?? null,
    fresh: i.fresh ?? false,
    resumeRuntimeSessionId: prior?.runtimeSessionId ?? null,
    prompt: turn.prompt,
    freshPrompt: turn.freshPrompt,
    worktreePath,
    branch,
    baseBranch: project.baseBranch,
    notBefore: i.notBefore ?? null,
  });
  await logProjectEvent(tx, {
    projectId: i.projectId,
    storyId: story.id,
    sessionId: session.id,
    agentName: agent.name,
    kind: "agent_started",
    message: `${agent.name} ${prior ? "resumed" : "started"} on story ${story.number} (${i.trigger})`,
    actor,
  });
  await notify(tx, CHANNELS.sessions, { sessionId: session.id, projectId: i.projectId });
  return { session };
}

/** The roster with who is busy where. */
export async function listRoster(db: DbOrTx, projectId: number) {
  const agents = await db.agent.findMany({
    where: { projectId },
    orderBy: { id: "asc" },
    include: {
      sessions: {
        where: { status: { in: ["pending", "running"] } },
        select: { id: true, status: true, story: { select: { number: true, title: true } } },
      },
    },
  });
  return agents.map(({ sessions, ...a }) => ({
    ...redactAgent(a),
    busy: sessions[0]
      ? { sessionId: sessions[0].id, status: sessions[0].status, storyNumber: sessions[0].story.number, storyTitle: sessions[0].story.title }
      : null,
  }));
}
