import type { DbOrTx } from "./types.ts";

/** pending → failed with the reason (it cannot run). False when it was no longer pending. */
export async function failPending(tx: DbOrTx, id: number, reason: string, message: string): Promise<boolean> {
  const r = await tx.agentSession.updateMany({ where: { id, status: "pending" }, data: { status: "failed", reason, message, finishedAt: new Date() } });
  return r.count === 1;
}
