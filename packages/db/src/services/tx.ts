// Transaction helpers shared by the services: one place for timeouts, row locks and the mapping
// of a partial-unique-index violation back to the rule it enforces.
import { notFound } from "@drover/core/errors";
import type { Db } from "../client.ts";
import type { Prisma } from "../generated/prisma/client.ts";

export type Tx = Prisma.TransactionClient;
export type DbOrTx = Db | Tx;

/** Interactive transactions wait for row locks under load; the defaults (2 s / 5 s) are too short. */
const TX_OPTIONS = { maxWait: 30_000, timeout: 60_000 } as const;

/** Attempts of a transaction that Postgres aborted as one side of a deadlock or a serialization conflict. */
const CONFLICT_ATTEMPTS = 4;

/**
 * Runs `fn` in one transaction. Postgres ends one side of a deadlock (40P01) or a serialization
 * conflict (40001) and asks for a retry; the whole transaction rolled back, so it runs again, after
 * a short random pause that keeps the two sides from meeting again.
 */
export async function inTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(fn, TX_OPTIONS);
    } catch (err) {
      if (attempt >= CONFLICT_ATTEMPTS || !isWriteConflict(err)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 50 * attempt));
    }
  }
}

/** A deadlock or serialization failure, as Prisma reports it (P2034) or as the driver's code. */
export function isWriteConflict(err: unknown): boolean {
  const e = err as { code?: string; meta?: unknown; message?: string } | null;
  if (!e || typeof e !== "object") return false;
  if (e.code === "P2034") return true;
  return /\b(40P01|40001)\b|deadlock detected|could not serialize access/.test(`${e.message ?? ""} ${JSON.stringify(e.meta ?? {})}`);
}

/** True for a transaction's client (it has $transaction too, so that cannot tell them apart). */
export function isTx(db: DbOrTx): db is Tx {
  return !("$connect" in db);
}

/** Locks a story row (SELECT ... FOR UPDATE) and returns it as Prisma sees it. */
export async function lockStory(tx: Tx, projectId: number, storyNumber: number) {
  const rows = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM stories WHERE project_id = ${projectId} AND number = ${storyNumber} FOR UPDATE`;
  if (!rows.length) throw notFound(`No story ${storyNumber} in project ${projectId}`);
  return tx.story.findUniqueOrThrow({ where: { id: rows[0]!.id } });
}

/** The name of the unique constraint or index an error violated, if it is a unique violation. */
export function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: string; meta?: unknown; message?: string } | null;
  if (!e || typeof e !== "object") return null;
  const cause = (e.meta as { driverAdapterError?: { cause?: { kind?: string; constraint?: { index?: string; fields?: string[] } } } } | undefined)
    ?.driverAdapterError?.cause;
  if (cause?.kind === "UniqueConstraintViolation" && cause.constraint?.index) return cause.constraint.index;
  const text = `${e.message ?? ""} ${JSON.stringify(e.meta ?? {})}`;
  if (e.code !== "P2002" && !/unique constraint|UniqueConstraintViolation|23505/i.test(text)) return null;
  const m = /(agent_sessions_one_active_per_agent|agent_sessions_one_active_per_story_stage|[a-z_]+_key)/.exec(text);
  return m ? m[1]! : "unique";
}
