import type { DbOrTx } from "./types.ts";

/** Why a pending session waits (no runner can run it): shown on the board; cleared when claimed. */
export const NO_CAPABLE_RUNNER = "no_capable_runner";

/**
 * Sets (message) or clears (null) the waiting reason of pending sessions; only a reason of this
 * kind, or none, is replaced. Returns the projects whose sessions changed (their boards redraw).
 */
export async function setWaitingReason(tx: DbOrTx, ids: number[], message: string | null): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await tx.$queryRaw<{ project_id: number }[]>`
    UPDATE agent_sessions
    SET reason = ${message === null ? null : NO_CAPABLE_RUNNER}, message = ${message}, updated_at = now()
    WHERE id = ANY(${ids}) AND status = 'pending'
      AND (reason IS NULL OR reason = ${NO_CAPABLE_RUNNER})
      AND message IS DISTINCT FROM ${message}
    RETURNING project_id`;
  return [...new Set(rows.map((r) => r.project_id))];
}
