// Read-only board data: projects and their stories by stage.
import { z } from "zod";
import { publicProcedure, router } from "../trpc.ts";

export const boardRouter = router({
  projects: publicProcedure.query(({ ctx }) =>
    ctx.db.project.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true, isDemo: true, configError: true } }),
  ),
  stories: publicProcedure.input(z.object({ projectId: z.number().int().positive() })).query(({ ctx, input }) =>
    ctx.db.story.findMany({
      where: { projectId: input.projectId },
      orderBy: [{ stage: "asc" }, { position: "asc" }, { number: "asc" }],
      select: { id: true, number: true, kind: true, title: true, stage: true, agent: true, blocked: true, retryCount: true },
    }),
  ),
});
