// What the board draws: one project's cards with their live agent, cost and
// acceptance-criteria progress.
import { DEFAULT_PIPELINE_SETTINGS } from "@drover/core/automation/types";
import { notFound } from "@drover/core/errors";
import { criteriaProgress } from "@drover/core/stories/criteria";
import { z } from "zod";
import { ACTIVE_SESSION_STATUSES, agentLiveStatus, type AgentLiveStatus } from "./agent-views.ts";
import type { Agent, Story } from "../generated/prisma/client.ts";
import type { DbOrTx } from "./tx.ts";
import { idSchema, parseInput } from "./validate.ts";
import { NO_CAPABLE_RUNNER } from "../sessions/waiting.ts";

export const boardInput = z.object({ projectId: idSchema, includeArchived: z.boolean().default(false) });

export interface BoardCard {
  id: number;
  /** With number, the story's address (/projects/<projectId>/stories/<number>). */
  projectId: number;
  number: number;
  kind: Story["kind"];
  title: string;
  stage: Story["stage"];
  position: number;
  pinnedAgent: string | null;
  agentName: string | null;
  agentStatus: AgentLiveStatus | null;
  activeSessionId: number | null;
  retryCount: number;
  /** The project's retry limit; 0 means no limit. */
  maxRetries: number;
  blocked: boolean;
  blockedReason: string | null;
  /** An agent's question waiting for a person's answer (the story is blocked meanwhile). */
  needsInput: string | null;
  mergeFailure: string | null;
  reviewHold: boolean;
  /** Who stopped it: held until someone resumes, restarts or releases it. */
  heldBy: string | null;
  /** Why its pending session waits: "no runner can run codex: CLI missing on all runners". */
  waitingReason: string | null;
  criteria: { done: number; total: number };
  costUsd: number;
}

export interface BoardAgent {
  id: number;
  name: string;
  stage: Agent["stage"];
  enabled: boolean;
  throttledUntil: Date | null;
  runtime: string;
  status: AgentLiveStatus;
  storyId: number | null;
}

export interface Board {
  project: {
    id: number;
    name: string;
    isDemo: boolean;
    configError: string | null;
    baseBranch: string;
    /** False when the roster says `sandbox = false`: its runs have the runner's full access (the board warns). */
    sandbox: boolean;
    /** Some version of the roster ever parsed (else there is no "last good config" to keep). */
    hasGoodConfig: boolean;
  };
  agents: BoardAgent[];
  stories: BoardCard[];
}

export async function readBoard(db: DbOrTx, input: z.input<typeof boardInput>): Promise<Board> {
  const { projectId, includeArchived } = parseInput(boardInput, input);
  const project = await db.project.findUnique({
    where: { id: projectId },
    select: { id: true, name: true, isDemo: true, configError: true, baseBranch: true, config: true },
  });
  if (!project) throw notFound(`Project ${projectId} not found`);
  // Only the retry limit leaves the server (the config carries env values); 0 means no limit.
  const { config, ...projectInfo } = project;
  const maxRetries = (config as { max_retries?: number } | null)?.max_retries ?? DEFAULT_PIPELINE_SETTINGS.maxRetries;
  const sandbox = (config as { sandbox?: boolean } | null)?.sandbox !== false;
  const [stories, agents, active, costs] = await Promise.all([
    db.story.findMany({
      where: { projectId, ...(includeArchived ? {} : { stage: { not: "archived" } }) },
      orderBy: [{ position: "asc" }, { number: "asc" }],
    }),
    db.agent.findMany({
      where: { projectId },
      orderBy: { name: "asc" },
      select: { id: true, name: true, stage: true, enabled: true, throttledUntil: true, runtime: true },
    }),
    db.agentSession.findMany({
      where: { projectId, status: { in: [...ACTIVE_SESSION_STATUSES] } },
      select: { id: true, storyId: true, agentId: true, status: true, reason: true, message: true },
    }),
    db.agentSession.groupBy({
      by: ["storyId"],
      // Only the cards shown: archived stories' sessions pile up and would slow every board.
      where: { projectId, ...(includeArchived ? {} : { story: { stage: { not: "archived" } } }) },
      _sum: { costUsd: true },
    }),
  ]);
  const now = Date.now();
  const agentById = new Map(agents.map((a) => [a.id, a]));
  const costByStory = new Map(costs.map((c) => [c.storyId, c._sum.costUsd ?? 0]));
  const activeByStory = new Map<number, (typeof active)[number]>();
  for (const s of active) if (!activeByStory.has(s.storyId) || s.status === "running") activeByStory.set(s.storyId, s);
  const statusOf = (s: (typeof active)[number]) => agentLiveStatus(agentById.get(s.agentId) ?? { throttledUntil: null }, s.status, now);
  return {
    project: { ...projectInfo, sandbox, hasGoodConfig: config !== null },
    agents: agents.map((a) => {
      const s = active.find((x) => x.agentId === a.id);
      return { ...a, status: s ? statusOf(s) : "idle", storyId: s?.storyId ?? null };
    }),
    stories: stories.map((s) => {
      const act = activeByStory.get(s.id);
      const agentName = act ? agentById.get(act.agentId)?.name : s.agent;
      let status: AgentLiveStatus | null = act ? statusOf(act) : s.agent ? "idle" : null;
      if (s.blocked) status = "blocked";
      return {
        id: s.id,
        projectId,
        number: s.number,
        kind: s.kind,
        title: s.title,
        stage: s.stage,
        position: s.position,
        pinnedAgent: s.agent,
        agentName: agentName ?? null,
        agentStatus: status,
        activeSessionId: act?.id ?? null,
        retryCount: s.retryCount,
        maxRetries,
        blocked: s.blocked,
        blockedReason: s.blockedReason,
        needsInput: s.inputQuestion,
        mergeFailure: s.mergeFailure,
        reviewHold: s.reviewHold,
        heldBy: s.heldBy,
        waitingReason: act?.status === "pending" && act.reason === NO_CAPABLE_RUNNER ? act.message : null,
        criteria: criteriaProgress(s.body),
        costUsd: costByStory.get(s.id) ?? 0,
      };
    }),
  };
}
