import type { Db } from "../client.ts";
import type { Prisma } from "../generated/prisma/client.ts";

export type DbOrTx = Db | Prisma.TransactionClient;

/** The attempt that owns a running session: writes carry it so a superseded attempt changes nothing. */
export interface Owner {
  id: number;
  attempt: number;
  runnerId: string;
}

export function ownedWhere(o: Owner) {
  return { id: o.id, attempt: o.attempt, runnerId: o.runnerId, status: "running" as const };
}
