// Import a storkit (story-kit, huskies) tree from a repository: creates or updates the project,
// its roster and its stories. A runner that has the repository does it (`drover import`'s code).
import { z } from "zod";
import { textSchema } from "@drover/db/services/validate";
import { askRunner } from "@drover/db/services/runner-requests";
import { procedure, router } from "../trpc.ts";

export const importsRouter = router({
  storkit: procedure
    .meta({ role: "admin" })
    .input(z.object({ repoPath: textSchema.trim().min(1).max(4096), name: textSchema.trim().min(1).max(100).optional() }))
    .mutation(async ({ ctx, input }) => {
      const report = await askRunner(ctx.db, { kind: "storkit.import", payload: input, repoPath: input.repoPath }, ctx.actor);
      return { ...report, id: report.projectId };
    }),
});
