// Agents: the roster with who is busy where, start (rules 1-10) and stop.
import { z } from "zod";
import { listRoster, startAgent, stopAgent } from "@drover/db/services/index";
import { publicProcedure, router } from "../trpc.ts";

const projectId = z.number().int().positive();
const storyNumber = z.number().int().positive();
const agentName = z.string().trim().min(1).max(100);

export const agentsRouter = router({
  roster: publicProcedure.input(z.object({ projectId })).query(({ ctx, input }) => listRoster(ctx.db, input.projectId)),
  start: publicProcedure
    .input(
      z.object({
        projectId,
        storyNumber,
        agentName: agentName.optional(),
        resumeOfSessionId: z.number().int().positive().optional(),
        context: z.string().max(100_000).optional(),
        fresh: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => startAgent(ctx.db, { ...input, trigger: input.resumeOfSessionId ? "resume" : "user" })),
  stop: publicProcedure
    .input(z.object({ projectId, storyNumber, agentName }))
    .mutation(({ ctx, input }) => stopAgent(ctx.db, { ...input, by: "user" })),
});
