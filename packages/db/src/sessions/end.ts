import type { EndReason } from "@drover/core/automation/end-reasons";
import type { Prisma } from "../generated/prisma/client.ts";
import { ownedWhere, type DbOrTx, type Owner } from "./types.ts";

export interface RunEnd {
  status: "completed" | "failed" | "stopped" | "interrupted";
  reason: EndReason;
  message?: string;
  report?: unknown;
  exitCode?: number | null;
}

/** running → final status, only by the attempt that owns it. False when a newer attempt took it over. */
export async function endRun(db: DbOrTx, owner: Owner, end: RunEnd): Promise<boolean> {
  const r = await db.agentSession.updateMany({
    where: ownedWhere(owner),
    data: {
      status: end.status,
      reason: end.reason,
      message: end.message ?? null,
      ...(end.report !== undefined ? { report: end.report as Prisma.InputJsonValue } : {}),
      ...(end.exitCode !== undefined ? { exitCode: end.exitCode } : {}),
      finishedAt: new Date(),
      leaseExpiresAt: null,
    },
  });
  return r.count === 1;
}
