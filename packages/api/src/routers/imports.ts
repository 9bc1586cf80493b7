// Import a storkit (story-kit, huskies) tree from a repository on this host: creates or updates
// the project, its roster and its stories. The import itself is the CLI's (`drover import`).
import { z } from "zod";
import { textSchema } from "@drover/db/services/validate";
import { importRepo } from "@drover/db/services/storkit-io/import-repo";
import { repoAccess } from "@drover/repo";
import { procedure, router } from "../trpc.ts";

export const importsRouter = router({
  storkit: procedure
    .meta({ role: "admin" })
    .input(z.object({ repoPath: textSchema.trim().min(1).max(4096), name: textSchema.trim().min(1).max(100).optional() }))
    .mutation(async ({ ctx, input }) => {
      const report = await importRepo(ctx.db, input.repoPath, repoAccess, ctx.actor, { name: input.name });
      return { ...report, id: report.projectId };
    }),
});
