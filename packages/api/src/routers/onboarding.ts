// On-boarding a repository: the doctor view of a project (the checks `drover doctor` runs, with the
// live runners' recorded capabilities in place of this host's), and the starting roster offered when
// a repository has none (shown first, then written uncommitted as .drover/project.toml).
import { z } from "zod";
import { RUNTIMES } from "@drover/core/config/types";
import { doctorReport } from "@drover/core/doctor/report";
import { DomainError } from "@drover/core/errors";
import { databaseHealth } from "@drover/db/database-health";
import { secretKeyIds } from "@drover/db/secrets/key-ids";
import { findProject, liveRunnerCapabilities } from "@drover/db/services/index";
import { idSchema, textSchema } from "@drover/db/services/validate";
import { inspectProject } from "@drover/repo/repo-health";
import { planStarterRoster, writeStarterRoster } from "@drover/repo/starter-roster";
import { procedure, router } from "../trpc.ts";

const rosterInput = z.object({ repoPath: textSchema.trim().min(1).max(4096), runtime: z.enum(RUNTIMES).default("claude-code") });

export const onboardingRouter = router({
  doctor: procedure
    .meta({ role: "viewer" })
    .input(z.object({ projectId: idSchema }))
    .query(async ({ ctx, input }) => {
      const project = await findProject(ctx.db, input.projectId);
      const { repo, roster } = await inspectProject(project.repoPath, { baseBranch: project.baseBranch });
      const runners = await liveRunnerCapabilities(ctx.db);
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
    .query(async ({ input }) => {
      try {
        const plan = await planStarterRoster(input.repoPath, input.runtime);
        return { roster: "missing" as const, file: plan.file, text: plan.text, gates: plan.gates, baseBranch: plan.baseBranch };
      } catch (err) {
        if (err instanceof DomainError && err.code === "CONFLICT") return { roster: "exists" as const };
        throw err;
      }
    }),
  /** Writes the offered roster, uncommitted, for the person to review and commit. */
  writeStarterRoster: procedure
    .meta({ role: "admin" })
    .input(rosterInput)
    .mutation(async ({ input }) => {
      const plan = await planStarterRoster(input.repoPath, input.runtime);
      return { file: writeStarterRoster(plan) };
    }),
});
