// On-boarding a repository: the doctor view of a project (the checks `drover doctor` runs, with the
// live runners' recorded capabilities in place of this host's), and the starting roster offered when
// a repository has none (shown first, then written uncommitted as .drover/project.toml). A runner
// that has the repository reads and writes it (askRunner): the web reads no repository.
import { z } from "zod";
import { RUNTIMES } from "@drover/core/config/types";
import { doctorReport } from "@drover/core/doctor/report";
import { databaseHealth } from "@drover/db/database-health";
import { secretKeyIds } from "@drover/db/secrets/key-ids";
import { askRunner, findProject, liveRunnerCapabilities } from "@drover/db/services/index";
import { idSchema, textSchema } from "@drover/db/services/validate";
import { procedure, router } from "../trpc.ts";

const rosterInput = z.object({ repoPath: textSchema.trim().min(1).max(4096), runtime: z.enum(RUNTIMES).default("claude-code") });

export const onboardingRouter = router({
  doctor: procedure
    .meta({ role: "viewer" })
    .input(z.object({ projectId: idSchema }))
    .query(async ({ ctx, input }) => {
      const project = await findProject(ctx.db, input.projectId);
      const { repo, roster } = await askRunner(
        ctx.db,
        { kind: "project.inspect", payload: { projectId: project.id }, repoPath: project.repoPath, projectId: project.id },
        ctx.actor,
      );
      const runners = await liveRunnerCapabilities(ctx.db, project.id);
      return doctorReport({
        repo,
        roster,
        hosts: runners.map((r) => ({ name: `runner ${r.id}`, capabilities: r.capabilities, secretKeyId: r.secretKeyId })),
        secretKeyIds: await secretKeyIds(ctx.db, project.id),
        database: await databaseHealth(ctx.db),
        project: { id: project.id, name: project.name },
      });
    }),
  /** The roster `drover init` would write, or `exists` when the repository has one. */
  rosterOffer: procedure
    .meta({ role: "admin" })
    .input(rosterInput)
    .query(({ ctx, input }) => askRunner(ctx.db, { kind: "roster.offer", payload: input, repoPath: input.repoPath }, ctx.actor)),
  /** Writes the offered roster, uncommitted, for the person to review and commit. */
  writeStarterRoster: procedure
    .meta({ role: "admin" })
    .input(rosterInput)
    .mutation(({ ctx, input }) => askRunner(ctx.db, { kind: "roster.write", payload: input, repoPath: input.repoPath }, ctx.actor)),
});
