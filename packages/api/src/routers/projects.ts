// Projects: list, add a repository (validated), reload its config.
import { z } from "zod";
import { idSchema, textSchema } from "@drover/db/services/validate";
import { addProject, findProject, listProjects, redactProject, reloadProjectConfig } from "@drover/db/services/index";
import { repoAccess } from "@drover/repo";
import { onlyVisible } from "@drover/auth/project-access";
import { procedure, router } from "../trpc.ts";

const projectId = z.object({ projectId: idSchema });

export const projectsRouter = router({
  list: procedure.meta({ role: "viewer" }).query(async ({ ctx }) => onlyVisible(ctx.db, ctx.user, await listProjects(ctx.db))),
  get: procedure
    .meta({ role: "viewer" })
    .input(projectId)
    .query(async ({ ctx, input }) => redactProject(await findProject(ctx.db, input.projectId))),
  add: procedure
    .meta({ role: "admin" })
    .input(z.object({ repoPath: textSchema.trim().min(1).max(4096), name: textSchema.trim().min(1).max(100).optional() }))
    .mutation(async ({ ctx, input }) => {
      const res = await addProject(ctx.db, input, repoAccess);
      return { ...res, project: redactProject(res.project) };
    }),
  reload: procedure
    .meta({ role: "admin" })
    .input(projectId)
    .mutation(async ({ ctx, input }) => {
      const res = await reloadProjectConfig(ctx.db, input.projectId, repoAccess);
      return { ...res, project: redactProject(res.project) };
    }),
});
