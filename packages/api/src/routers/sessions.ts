// Sessions: list by story or agent, get one.
import { z } from "zod";
import { idSchema, textSchema } from "@drover/db/services/validate";
import { getSession, listSessions } from "@drover/db/services/index";
import { procedure, router } from "../trpc.ts";

export const sessionsRouter = router({
  list: procedure
    .meta({ role: "viewer" })
    .input(
      z.object({
        projectId: idSchema,
        storyNumber: idSchema.optional(),
        agentName: textSchema.trim().min(1).max(100).optional(),
        take: z.number().int().min(1).max(500).optional(),
      }),
    )
    .query(({ ctx, input }) => listSessions(ctx.db, input)),
  get: procedure
    .meta({ role: "viewer" })
    .input(z.object({ sessionId: idSchema }))
    .query(({ ctx, input }) => getSession(ctx.db, input.sessionId)),
});
