// Projects: list, add a repository (validated), reload its config.
import { z } from "zod";
import { idSchema, textSchema } from "@drover/db/services/validate";
import {
  addProject,
  archiveProject,
  findProject,
  listProjects,
  redactProject,
  reloadProjectConfig,
  removeProject,
  unarchiveProject,
} from "@drover/db/services/index";
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
      const res = await addProject(ctx.db, input, repoAccess, ctx.actor);
      return { ...res, project: redactProject(res.project) };
    }),
  /** Stops its agents and takes it off the board; history stays. */
  archive: procedure
    .meta({ role: "admin" })
    .input(projectId)
    .mutation(async ({ ctx, input }) => {
      const r = await archiveProject(ctx.db, { project: input.projectId }, ctx.actor);
      return { project: redactProject(r.project), stoppedSessions: r.stoppedSessions };
    }),
  unarchive: procedure
    .meta({ role: "admin" })
    .input(projectId)
    .mutation(async ({ ctx, input }) => redactProject(await unarchiveProject(ctx.db, { project: input.projectId }, ctx.actor))),
  /** Deletes the project's rows once confirmed with its name; the repository is never touched. */
  remove: procedure
    .meta({ role: "admin" })
    .input(projectId.extend({ confirm: textSchema.max(100) }))
    .mutation(({ ctx, input }) => removeProject(ctx.db, { project: input.projectId, confirm: input.confirm }, ctx.actor)),
  reload: procedure
    .meta({ role: "admin" })
    .input(projectId)
    .mutation(async ({ ctx, input }) => {
      const res = await reloadProjectConfig(ctx.db, input.projectId, repoAccess, ctx.actor);
      return { ...res, project: redactProject(res.project) };
    }),
});
