import type { DbOrTx } from "./types.ts";

/** Marks a finished session handled: its after-session decision is applied (once). */
export async function markHandled(db: DbOrTx, id: number): Promise<void> {
  await db.agentSession.updateMany({ where: { id, handledAt: null }, data: { handledAt: new Date() } });
}
