// One embedded Postgres for a whole bench run (every part and every anchor uses it), with
// pg_stat_statements loaded so parts can count the statements a workload sends.
import fs from "node:fs";
import pg from "pg";
import { dropDatabase, ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from "../../packages/db/src/embedded.ts";
import { applyMigrations } from "../../packages/db/src/migrate.ts";

export interface BenchPostgres {
  adminUrl: string;
  /** A fresh migrated database (a clone of a migrated template), with pg_stat_statements. */
  database(name: string, opts?: { empty?: boolean }): Promise<string>;
  drop(name: string): Promise<void>;
  stop(): Promise<void>;
}

const TEMPLATE = "bench_template";

export async function startBenchPostgres(dir: string): Promise<BenchPostgres> {
  fs.mkdirSync(dir, { recursive: true });
  let server: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: dir, fast: true, preferredPort: 0 });
  // Loading pg_stat_statements needs a restart: set it once, restart on the same folder.
  await sql(server.adminUrl, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
  await sql(server.adminUrl, "ALTER SYSTEM SET pg_stat_statements.track = 'all'");
  await server.stop();
  server = await startEmbeddedPostgres({ dataDir: dir, fast: true, preferredPort: 0 });
  const adminUrl = server.adminUrl;
  const urlOf = (name: string) => adminUrl.replace(/\/[^/]*$/, `/${name}`);
  await ensureDatabase(adminUrl, TEMPLATE);
  await applyMigrations(urlOf(TEMPLATE));
  await sql(urlOf(TEMPLATE), "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  return {
    adminUrl,
    async database(name, opts = {}) {
      await dropDatabase(adminUrl, name);
      await ensureDatabase(adminUrl, name, opts.empty ? undefined : TEMPLATE);
      return urlOf(name);
    },
    drop: (name) => dropDatabase(adminUrl, name),
    stop: () => server.stop(),
  };
}

/** Runs one statement on its own connection. */
export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/**
 * Statements executed in database `url` since the last reset, excluding the bench's own
 * (they carry the comment "bench-probe") and pg_stat_statements' own calls.
 */
export async function statementCount(url: string): Promise<number> {
  const [r] = await sql<{ n: string }>(
    url,
    `/* bench-probe */ SELECT coalesce(sum(s.calls), 0)::bigint AS n FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
     WHERE d.datname = current_database() AND s.query NOT LIKE '%bench-probe%' AND s.query NOT LIKE '%pg_stat_statements%'`,
  );
  return Number(r!.n);
}

export async function resetStatements(url: string): Promise<void> {
  await sql(url, "/* bench-probe */ SELECT pg_stat_statements_reset()");
}
