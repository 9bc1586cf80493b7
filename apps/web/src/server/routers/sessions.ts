// Sessions: list by story or agent, get one.
import { z } from "zod";
import { getSession, listSessions } from "@drover/db/services/index";
import { publicProcedure, router } from "../trpc.ts";

export const sessionsRouter = router({
  list: publicProcedure
    .input(
      z.object({
        projectId: z.number().int().positive(),
        storyNumber: z.number().int().positive().optional(),
        agentName: z.string().trim().min(1).max(100).optional(),
        take: z.number().int().min(1).max(500).optional(),
      }),
    )
    .query(({ ctx, input }) => listSessions(ctx.db, input)),
  get: publicProcedure.input(z.object({ sessionId: z.number().int().positive() })).query(({ ctx, input }) => getSession(ctx.db, input.sessionId)),
});
