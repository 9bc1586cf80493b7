// Bulk seeding on every core: the server runs each statement on one core, so a big INSERT ... SELECT
// over a table's ids goes as one statement per core, each over its own slice of the ids, at once.
import os from "node:os";
import { sql } from "./postgres.ts";

/** Runs `statement(lo, hi)` for consecutive slices of `table`'s ids (one per core), on their own connections at once. */
export async function inSlices(url: string, table: string, statement: (lo: number, hi: number) => string): Promise<number> {
  const [range] = await sql<{ lo: number | null; hi: number | null }>(url, `SELECT min(id)::int AS lo, max(id)::int AS hi FROM ${table}`);
  if (range?.lo == null || range.hi == null) return 0;
  const { lo, hi } = range as { lo: number; hi: number };
  const slices = Math.max(1, Math.min(os.cpus().length, hi - lo + 1));
  const per = Math.ceil((hi - lo + 1) / slices);
  await Promise.all(Array.from({ length: slices }, (_, i) => sql(url, statement(lo + i * per, Math.min(hi, lo + (i + 1) * per - 1)))));
  return slices;
}
