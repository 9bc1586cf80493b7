import type { DbOrTx } from "../services/tx.ts";

/** A project's secret names and the fingerprint of the key each was stored with (never a value): who can decrypt which. */
export async function secretKeyIds(db: DbOrTx, projectId: number): Promise<Map<string, string>> {
  const rows = await db.projectSecret.findMany({ where: { projectId }, select: { name: true, keyId: true } });
  return new Map(rows.map((r) => [r.name, r.keyId]));
}
