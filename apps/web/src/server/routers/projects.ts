// Projects: list, add a repository (validated), reload its config.
import { z } from "zod";
import { addProject, findProject, listProjects, reloadProjectConfig } from "@drover/db/services/index";
import { publicProcedure, router } from "../trpc.ts";

const projectId = z.object({ projectId: z.number().int().positive() });

export const projectsRouter = router({
  list: publicProcedure.query(({ ctx }) => listProjects(ctx.db)),
  get: publicProcedure.input(projectId).query(({ ctx, input }) => findProject(ctx.db, input.projectId)),
  add: publicProcedure
    .input(z.object({ repoPath: z.string().trim().min(1).max(4096), name: z.string().trim().min(1).max(100).optional() }))
    .mutation(({ ctx, input }) => addProject(ctx.db, input)),
  reload: publicProcedure.input(projectId).mutation(({ ctx, input }) => reloadProjectConfig(ctx.db, input.projectId)),
});
