// Read-only view queries for the web pages. Writes go through the domain routers
// (projects, stories, agents, sessions, pipeline); nothing here changes state.
import { redactAgent, redactProject } from "@drover/db/services/redact";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { idSchema, indexSchema, textSchema } from "@drover/db/services/validate";
import { DEFAULT_PIPELINE_SETTINGS } from "@drover/core/automation/types";
import { criteriaProgress } from "../../lib/criteria.ts";
import { branchDiff } from "@drover/repo/branch-diff";
import { publicProcedure, router } from "../trpc.ts";

const id = idSchema;
const ACTIVE = ["pending", "running"] as const;
/** Largest value of a Postgres int8 (project_events.id). */
const BIGINT_MAX = 9_223_372_036_854_775_807n;

export type AgentLiveStatus = "idle" | "running" | "pending" | "throttled" | "blocked";

function notFound(what: string): never {
  throw new TRPCError({ code: "NOT_FOUND", message: `${what} not found` });
}

function durationMs(s: { startedAt: Date | null; finishedAt: Date | null }): number | null {
  if (!s.startedAt) return null;
  return (s.finishedAt ?? new Date()).getTime() - s.startedAt.getTime();
}

export const viewsRouter = router({
  projects: publicProcedure.query(({ ctx }) =>
    ctx.db.project.findMany({
      orderBy: { id: "asc" },
      select: { id: true, name: true, isDemo: true, configError: true, repoPath: true, baseBranch: true },
    }),
  ),

  /** Everything the board draws: cards with their live agent, cost and criteria. */
  board: publicProcedure
    .input(z.object({ projectId: id, includeArchived: z.boolean().default(false) }))
    .query(async ({ ctx, input }) => {
      const project = await ctx.db.project.findUnique({
        where: { id: input.projectId },
        select: { id: true, name: true, isDemo: true, configError: true, baseBranch: true, config: true },
      });
      if (!project) notFound(`Project ${input.projectId}`);
      // Only the retry limit leaves the server (the config carries env values); 0 means no limit.
      const { config, ...projectInfo } = project;
      const maxRetries = (config as { max_retries?: number } | null)?.max_retries ?? DEFAULT_PIPELINE_SETTINGS.maxRetries;
      const [stories, agents, active, costs] = await Promise.all([
        ctx.db.story.findMany({
          where: { projectId: input.projectId, ...(input.includeArchived ? {} : { stage: { not: "archived" } }) },
          orderBy: [{ position: "asc" }, { number: "asc" }],
        }),
        ctx.db.agent.findMany({
          where: { projectId: input.projectId },
          orderBy: { name: "asc" },
          select: { id: true, name: true, stage: true, enabled: true, throttledUntil: true, runtime: true },
        }),
        ctx.db.agentSession.findMany({
          where: { projectId: input.projectId, status: { in: [...ACTIVE] } },
          select: { id: true, storyId: true, agentId: true, status: true },
        }),
        ctx.db.agentSession.groupBy({
          by: ["storyId"],
          where: { projectId: input.projectId },
          _sum: { costUsd: true },
        }),
      ]);
      const now = Date.now();
      const agentById = new Map(agents.map((a) => [a.id, a]));
      const costByStory = new Map(costs.map((c) => [c.storyId, c._sum.costUsd ?? 0]));
      const activeByStory = new Map<number, (typeof active)[number]>();
      for (const s of active) if (!activeByStory.has(s.storyId) || s.status === "running") activeByStory.set(s.storyId, s);
      const agentStatus = (agentId: number, status: string): AgentLiveStatus => {
        const a = agentById.get(agentId);
        if (a?.throttledUntil && a.throttledUntil.getTime() > now) return "throttled";
        return status === "running" ? "running" : "pending";
      };
      return {
        project: projectInfo,
        agents: agents.map((a) => {
          const s = active.find((x) => x.agentId === a.id);
          return { ...a, status: s ? agentStatus(a.id, s.status) : ("idle" as AgentLiveStatus), storyId: s?.storyId ?? null };
        }),
        stories: stories.map((s) => {
          const act = activeByStory.get(s.id);
          const agentName = act ? agentById.get(act.agentId)?.name : s.agent;
          let status: AgentLiveStatus | null = act ? agentStatus(act.agentId, act.status) : s.agent ? "idle" : null;
          if (s.blocked) status = "blocked";
          return {
            id: s.id,
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
            mergeFailure: s.mergeFailure,
            reviewHold: s.reviewHold,
            criteria: criteriaProgress(s.body),
            costUsd: costByStory.get(s.id) ?? 0,
          };
        }),
      };
    }),

  story: publicProcedure.input(z.object({ storyId: id })).query(async ({ ctx, input }) => {
    const story = await ctx.db.story.findUnique({
      where: { id: input.storyId },
      include: {
        project: { select: { id: true, name: true, baseBranch: true, isDemo: true } },
        sessions: { orderBy: { createdAt: "desc" }, include: { agent: { select: { name: true } } } },
      },
    });
    if (!story) notFound(`Story ${input.storyId}`);
    const { sessions, ...rest } = story!;
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
        createdAt: s.createdAt,
        durationMs: durationMs(s),
        turns: s.turns,
        inputTokens: s.inputTokens,
        outputTokens: s.outputTokens,
        costUsd: s.costUsd,
      })),
    };
  }),

  /** The story branch (from its latest session that had one) against the project's base branch. */
  storyDiff: publicProcedure.input(z.object({ storyId: id })).query(async ({ ctx, input }) => {
    const story = await ctx.db.story.findUnique({
      where: { id: input.storyId },
      select: { project: { select: { repoPath: true, baseBranch: true } } },
    });
    if (!story) notFound(`Story ${input.storyId}`);
    const session = await ctx.db.agentSession.findFirst({
      where: { storyId: input.storyId, branch: { not: null } },
      orderBy: { createdAt: "desc" },
      select: { branch: true, baseBranch: true },
    });
    if (!session?.branch) return { branch: null, base: story!.project.baseBranch, files: [], error: undefined };
    const base = session.baseBranch ?? story!.project.baseBranch;
    const res = await branchDiff(story!.project.repoPath, base, session.branch);
    return { branch: session.branch, base, ...res };
  }),

  /** The roster with who is busy where. */
  agents: publicProcedure.input(z.object({ projectId: id })).query(async ({ ctx, input }) => {
    const agents = await ctx.db.agent.findMany({
      where: { projectId: input.projectId },
      orderBy: [{ stage: "asc" }, { name: "asc" }],
      include: {
        sessions: {
          where: { status: { in: [...ACTIVE] } },
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
      status: (!sessions[0]
        ? "idle"
        : a.throttledUntil && a.throttledUntil.getTime() > now
          ? "throttled"
          : sessions[0].status === "running"
            ? "running"
            : "pending") as AgentLiveStatus,
    }));
  }),

  agent: publicProcedure.input(z.object({ agentId: id })).query(async ({ ctx, input }) => {
    const agent = await ctx.db.agent.findUnique({
      where: { id: input.agentId },
      include: {
        project: { select: { id: true, name: true } },
        sessions: {
          orderBy: { createdAt: "desc" },
          take: 200,
          include: { story: { select: { id: true, number: true, title: true } } },
        },
      },
    });
    if (!agent) notFound(`Agent ${input.agentId}`);
    const { sessions, ...rest } = agent!;
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
  }),

  session: publicProcedure.input(z.object({ sessionId: id })).query(async ({ ctx, input }) => {
    const s = await ctx.db.agentSession.findUnique({
      where: { id: input.sessionId },
      include: {
        agent: { select: { id: true, name: true, runtime: true } },
        story: { select: { id: true, number: true, title: true, stage: true } },
        project: { select: { id: true, name: true } },
        resumes: { select: { id: true, status: true, createdAt: true }, orderBy: { createdAt: "desc" } },
      },
    });
    if (!s) notFound(`Session ${input.sessionId}`);
    const { prompt: _p, freshPrompt: _f, ...rest } = s!;
    return { ...rest, durationMs: durationMs(s!) };
  }),

  /**
   * Which events a session log shows, in order: a contiguous seq range when unfiltered (cheap
   * for 50,000 events), else the matching seqs. errorSeqs feed "jump to next error".
   */
  sessionIndex: publicProcedure
    .input(
      z.object({
        sessionId: id,
        kinds: z.array(textSchema.max(40)).max(20).optional(),
        q: textSchema.max(200).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const filtered = (input.kinds && input.kinds.length > 0) || !!input.q;
      const errorRows = await ctx.db.$queryRaw<{ seq: number }[]>`
        SELECT seq FROM session_events WHERE session_id = ${input.sessionId}
          AND (kind = 'error' OR (kind = 'tool_result' AND payload->>'ok' = 'false')
               OR (kind = 'gate' AND payload->>'passed' = 'false')
               OR (kind = 'result' AND payload->>'isError' = 'true'))
        ORDER BY seq`;
      const errorSeqs = errorRows.map((r) => Number(r.seq));
      if (!filtered) {
        const agg = await ctx.db.sessionEvent.aggregate({
          where: { sessionId: input.sessionId },
          _min: { seq: true },
          _max: { seq: true },
          _count: true,
        });
        const min = agg._min.seq,
          max = agg._max.seq;
        if (min === null || max === null) return { mode: "list" as const, seqs: [] as number[], errorSeqs, lastSeq: null };
        if (max - min + 1 === agg._count) return { mode: "range" as const, min, max, errorSeqs, lastSeq: max };
      }
      const rows = await ctx.db.sessionEvent.findMany({
        where: {
          sessionId: input.sessionId,
          ...(input.kinds?.length ? { kind: { in: input.kinds } } : {}),
          ...(input.q
            ? { OR: [{ text: { contains: input.q, mode: "insensitive" } }, { raw: { contains: input.q, mode: "insensitive" } }] }
            : {}),
        },
        orderBy: { seq: "asc" },
        select: { seq: true },
      });
      const last = await ctx.db.sessionEvent.findFirst({
        where: { sessionId: input.sessionId },
        orderBy: { seq: "desc" },
        select: { seq: true },
      });
      return { mode: "list" as const, seqs: rows.map((r) => r.seq), errorSeqs, lastSeq: last?.seq ?? null };
    }),

  /** One slice of a session log by seq (the virtual list asks for the slices on screen). */
  sessionEvents: publicProcedure
    .input(z.object({ sessionId: id, fromSeq: indexSchema, toSeq: indexSchema, seqs: z.array(indexSchema).max(1000).optional() }))
    .query(async ({ ctx, input }) => {
      if (input.toSeq - input.fromSeq > 5000) throw new TRPCError({ code: "BAD_REQUEST", message: "Ask for at most 5000 events at once." });
      const rows = await ctx.db.sessionEvent.findMany({
        where: {
          sessionId: input.sessionId,
          seq: input.seqs ? { in: input.seqs } : { gte: input.fromSeq, lte: input.toSeq },
        },
        orderBy: { seq: "asc" },
        select: { seq: true, at: true, kind: true, text: true, payload: true },
      });
      return rows;
    }),

  runners: publicProcedure.query(async ({ ctx }) => {
    const runners = await ctx.db.runner.findMany({
      orderBy: [{ stoppedAt: { sort: "desc", nulls: "first" } }, { heartbeatAt: "desc" }],
      take: 100,
      include: {
        sessions: {
          where: { status: { in: [...ACTIVE] } },
          include: { agent: { select: { name: true } }, story: { select: { id: true, number: true, title: true } } },
        },
      },
    });
    const now = Date.now();
    return runners.map(({ sessions, ...r }) => ({
      ...r,
      heartbeatAgeMs: now - r.heartbeatAt.getTime(),
      sessions: sessions.map((s) => ({ id: s.id, status: s.status, agentName: s.agent.name, story: s.story })),
    }));
  }),

  activity: publicProcedure
    .input(z.object({ projectId: id, cursor: z.bigint().min(1n).max(BIGINT_MAX).nullish(), limit: z.number().int().min(1).max(200).default(100) }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.projectEvent.findMany({
        where: { projectId: input.projectId, ...(input.cursor ? { id: { lt: input.cursor } } : {}) },
        orderBy: { id: "desc" },
        take: input.limit,
        include: { story: { select: { id: true, number: true, title: true } } },
      });
      return rows;
    }),

  settings: publicProcedure.input(z.object({ projectId: id })).query(async ({ ctx, input }) => {
    const p = await ctx.db.project.findUnique({ where: { id: input.projectId } });
    if (!p) notFound(`Project ${input.projectId}`);
    return redactProject(p!);
  }),
});
