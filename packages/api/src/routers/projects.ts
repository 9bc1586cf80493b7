// Projects: list, add a repository (validated), reload its config. What needs the repository is
// done by a runner that has it (askRunner): the web reads no repository.
import { z } from "zod";
import { idSchema, textSchema } from "@drover/db/services/validate";
import {
  archiveProject,
  askRunner,
  askToAddRemote,
  findProject,
  listProjects,
  redactProject,
  removeProject,
  unarchiveProject,
} from "@drover/db/services/index";
import { ensureSecretKey } from "@drover/db/secrets/index";
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
      const res = await askRunner(ctx.db, { kind: "project.add", payload: input, repoPath: input.repoPath }, ctx.actor);
      return { ...res, project: redactProject(await findProject(ctx.db, res.projectId)) };
    }),
  /** Adds a project from a git remote, checked by a runner (reachable, base branch, roster); its answer comes back. */
  addRemote: procedure
    .meta({ role: "admin" })
    .input(
      z.object({
        remoteUrl: textSchema.trim().min(1).max(2000),
        baseBranch: textSchema.trim().min(1).max(255),
        name: textSchema.trim().min(1).max(100).optional(),
        remoteSecret: textSchema.trim().min(1).max(100).optional(),
        /** An HTTPS token for the remote: sealed for the runner's check, then kept as the secret `remoteSecret`. */
        remoteToken: textSchema.max(65_536).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const res = await askToAddRemote(ctx.db, input, ctx.actor, { key: () => ensureSecretKey(), timeoutMs: 60_000 });
      return { ...res, project: redactProject(await findProject(ctx.db, res.projectId)) };
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
      const project = await findProject(ctx.db, input.projectId);
      const res = await askRunner(ctx.db, { kind: "project.reload", payload: input, repoPath: project.repoPath, projectId: project.id }, ctx.actor);
      return { ...res, project: redactProject(await findProject(ctx.db, res.projectId)) };
    }),
});
