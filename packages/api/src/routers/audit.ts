// The audit trail: who changed what, filtered by person, project, actor kind and event kind.
// (Downloads as CSV or JSON lines: GET /api/audit, and `drover audit`.)
// Admin only: it spans every project (a member's view is the activity feed of their own projects).
import { auditPageInput, listAudit } from "@drover/db/services/audit";
import { procedure, router } from "../trpc.ts";

export const auditRouter = router({
  list: procedure
    .meta({ role: "admin" })
    .input(auditPageInput)
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
});
