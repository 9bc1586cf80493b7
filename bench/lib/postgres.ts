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
const PROBE_ROLE = "bench_probe";
const probeUrls = new Set<string>();

/** The same database, as the bench's probe role (once the server knows that role). */
function asProbe(url: string): string {
  const u = new URL(url);
  if (![...probeUrls].some((a) => new URL(a).host === u.host)) return url;
  u.username = PROBE_ROLE;
  u.password = PROBE_ROLE;
  return u.toString();
}

export async function startBenchPostgres(dir: string): Promise<BenchPostgres> {
  fs.mkdirSync(dir, { recursive: true });
  let server: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: dir, fast: true, preferredPort: 0 });
  // Loading pg_stat_statements needs a restart: set it once, restart on the same folder.
  await sql(server.adminUrl, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
  // Only the statements clients send (round trips), not those run inside functions or triggers.
  await sql(server.adminUrl, "ALTER SYSTEM SET pg_stat_statements.track = 'top'");
  await server.stop();
  server = await startEmbeddedPostgres({ dataDir: dir, fast: true, preferredPort: 0 });
  const adminUrl = server.adminUrl;
  // The bench's own queries (seeding, polling, reading counters) run as a role of their own, so
  // statement counts can leave them out.
  await sql(
    adminUrl,
    `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${PROBE_ROLE}') THEN CREATE ROLE ${PROBE_ROLE} LOGIN SUPERUSER PASSWORD '${PROBE_ROLE}'; END IF; END $$`,
  );
  probeUrls.add(adminUrl);
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

/** Runs one statement on its own connection, as the bench's probe role. */
export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: asProbe(url) });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/**
 * One connection as the probe role, kept open for a loop of reads (sql() connects, with SCRAM, per
 * statement: ten times a second that was CPU taken from what is measured). end() it after.
 */
export async function probeClient(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: asProbe(url) });
  c.on("error", () => {}); // the server may stop first at the end of a run
  await c.connect();
  return c;
}

/** Statements clients other than the bench sent to database `url` since the last reset. */
export async function statementCount(url: string): Promise<number> {
  const [r] = await sql<{ n: string }>(
    url,
    `SELECT coalesce(sum(s.calls), 0)::bigint AS n FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
     WHERE d.datname = current_database() AND s.userid <> (SELECT oid FROM pg_roles WHERE rolname = '${PROBE_ROLE}')`,
  );
  return Number(r!.n);
}

export async function resetStatements(url: string): Promise<void> {
  await sql(url, "SELECT pg_stat_statements_reset()");
}

/** The most frequent statements since the last reset (same filter as statementCount). */
export async function topStatements(url: string, limit = 12): Promise<{ calls: number; query: string }[]> {
  return sql<{ calls: number; query: string }>(
    url,
    `SELECT s.calls::int AS calls, left(regexp_replace(s.query, '\\s+', ' ', 'g'), 110) AS query
     FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
     WHERE d.datname = current_database() AND s.userid <> (SELECT oid FROM pg_roles WHERE rolname = '${PROBE_ROLE}')
     ORDER BY s.calls DESC LIMIT $1`,
    [limit],
  );
}

/** A pool for an anchor (graphile-worker) that tolerates the server going away at the end of the run. */
export function anchorPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}
