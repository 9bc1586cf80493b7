// Doctor's database check: reachable, and every migration in prisma/migrations applied.
import type { DatabaseHealth } from "@drover/core/doctor/facts";
import type { Db } from "./client.ts";
import { readMigrations } from "./migrate.ts";

export async function databaseHealth(db: Db): Promise<DatabaseHealth> {
  let applied: Set<string>;
  try {
    const rows = await db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    applied = new Set(rows.map((r) => r.migration_name));
  } catch (err) {
    return { ok: false, error: `not reachable or not initialised: ${(err as Error).message.split("\n")[0]}` };
  }
  return {
    ok: true,
    pendingMigrations: readMigrations()
      .map((m) => m.name)
      .filter((n) => !applied.has(n)),
  };
}
