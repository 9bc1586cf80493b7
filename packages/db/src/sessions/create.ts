import type { Prisma } from "../generated/prisma/client.ts";
import type { DbOrTx } from "./types.ts";

/** → pending. The caller checks the start rules in the same transaction (partial unique indexes back them). */
export function createPending(tx: DbOrTx, data: Omit<Prisma.AgentSessionUncheckedCreateInput, "status">) {
  return tx.agentSession.create({ data: { ...data, status: "pending" } });
}
