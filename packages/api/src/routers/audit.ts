// The audit trail: who changed what, filtered by person, project, actor kind and event kind.
// (Downloads as CSV or JSON lines: GET /api/audit, and `drover audit`.)
import { auditPageInput, listAudit } from "@drover/db/services/audit";
import { publicProcedure, router } from "../trpc.ts";

export const auditRouter = router({
  list: publicProcedure.input(auditPageInput).query(({ ctx, input }) => listAudit(ctx.db, input)),
});
