// What the story page shows: the story with its sessions, and which branch its changes are on.
import { notFound } from "@drover/core/errors";
import { durationMs } from "./agent-views.ts";
import type { DbOrTx } from "./tx.ts";

/**
 * The story numbered `number` in the project named by `project` (its id, or its name as in the
 * URL /projects/<id-or-name>/stories/<number>). Throws NOT_FOUND saying which part is missing.
 */
export async function storyIdAt(db: DbOrTx, project: string, number: number): Promise<{ id: number; projectId: number }> {
  const p = /^\d+$/.test(project)
    ? await db.project.findUnique({ where: { id: Number(project) }, select: { id: true } })
    : await db.project.findUnique({ where: { name: project }, select: { id: true } });
  if (!p) throw notFound(`No project ${JSON.stringify(project)}`);
  const story = await db.story.findUnique({ where: { projectId_number: { projectId: p.id, number } }, select: { id: true, projectId: true } });
  if (!story) throw notFound(`Story ${number} not found in this project`);
  return story;
}

export async function storyView(db: DbOrTx, storyId: number) {
  const story = await db.story.findUnique({
    where: { id: storyId },
    include: {
      project: { select: { id: true, name: true, baseBranch: true, isDemo: true } },
      sessions: { orderBy: { createdAt: "desc" }, include: { agent: { select: { name: true } } } },
      // Who did what to it, newest first (the whole history is on the activity page).
      events: {
        orderBy: { id: "desc" },
        take: 50,
        select: { id: true, at: true, kind: true, message: true, agentName: true, sessionId: true, actorKind: true, actorName: true },
      },
    },
  });
  if (!story) throw notFound(`Story ${storyId} not found`);
  const { sessions, ...rest } = story;
  return {
    ...rest,
    sessions: sessions.map((s) => ({
      id: s.id,
      agentName: s.agent.name,
      agentId: s.agentId,
      status: s.status,
      reason: s.reason,
      message: s.message,
      trigger: s.trigger,
      branch: s.branch,
      /** The runtime gave a session id: a resume can continue the same conversation. */
      canResume: s.runtimeSessionId !== null,
      createdAt: s.createdAt,
      durationMs: durationMs(s),
      // For a running session's duration to tick in the page.
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      turns: s.turns,
      inputTokens: s.inputTokens,
      outputTokens: s.outputTokens,
      costUsd: s.costUsd,
    })),
  };
}

/**
 * Where a story's changes are: the branch of its latest session that had one, the base it left
 * (that session's, else the project's) and the repository. branch is null before any agent worked.
 */
export async function storyBranch(db: DbOrTx, storyId: number): Promise<{ repoPath: string; base: string; branch: string | null }> {
  const story = await db.story.findUnique({
    where: { id: storyId },
    select: { project: { select: { repoPath: true, baseBranch: true } } },
  });
  if (!story) throw notFound(`Story ${storyId} not found`);
  const session = await db.agentSession.findFirst({
    where: { storyId, branch: { not: null } },
    orderBy: { createdAt: "desc" },
    select: { branch: true, baseBranch: true },
  });
  if (!session?.branch) return { repoPath: story.project.repoPath, base: story.project.baseBranch, branch: null };
  return { repoPath: story.project.repoPath, base: session.baseBranch ?? story.project.baseBranch, branch: session.branch };
}
