// Roles on the embedded server: the application gets a role of its own that owns its database but
// is not a superuser (a superuser can run programs as the server's OS user and read any file it
// can); the bootstrap superuser is kept for creating roles and databases only.
import pg from "pg";
import { LEGACY_ADMIN, type Credentials } from "./credentials.ts";

const lit = (s: string) => pg.escapeLiteral(s);
const id = (s: string) => pg.escapeIdentifier(s);

async function connect(port: number, user: string, password: string, database: string): Promise<pg.Client> {
  const client = new pg.Client({ host: "127.0.0.1", port, user, password, database });
  await client.connect();
  return client;
}

/**
 * Logs in as the bootstrap superuser. A cluster made before random passwords still has the fixed
 * one: it is replaced by the password already saved in the credentials file.
 */
async function adminClient(port: number, c: Credentials, database: string): Promise<pg.Client> {
  try {
    return await connect(port, c.adminUser, c.adminPassword, database);
  } catch (e) {
    if ((e as { code?: string }).code !== "28P01" || c.adminUser !== LEGACY_ADMIN.user) throw e;
  }
  const client = await connect(port, LEGACY_ADMIN.user, LEGACY_ADMIN.password, database);
  await client.query(`ALTER ROLE ${id(c.adminUser)} PASSWORD ${lit(c.adminPassword)}`);
  return client;
}

/** The app role exists with the saved password and no special rights, and owns `database` and its objects. */
export async function ensureAppRole(port: number, c: Credentials, database: string): Promise<void> {
  const admin = await adminClient(port, c, "postgres");
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [c.appUser]);
    const attrs = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${lit(c.appPassword)}`;
    await admin.query(`${rowCount ? "ALTER" : "CREATE"} ROLE ${id(c.appUser)} ${attrs}`);
    const db = await admin.query<{ owner: string }>("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [database]);
    if (!db.rowCount) {
      await admin.query(`CREATE DATABASE ${id(database)} OWNER ${id(c.appUser)}`);
      return;
    }
    if (db.rows[0]!.owner === c.appUser) return;
    await admin.query(`ALTER DATABASE ${id(database)} OWNER TO ${id(c.appUser)}`);
  } finally {
    await admin.end();
  }
  await handOverObjects(port, c, database);
}

/** A database made by the old superuser login: its tables, sequences and types go to the app role. */
async function handOverObjects(port: number, c: Credentials, database: string): Promise<void> {
  const admin = await adminClient(port, c, database);
  try {
    await admin.query("BEGIN");
    // Types first, then tables (which take their own sequences along), then any other sequence.
    const statements = (kinds: string) =>
      admin.query<{ stmt: string }>(
        `SELECT format('ALTER %s %I.%I OWNER TO %I', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, n.nspname, c.relname, $1::text) AS stmt
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = ANY($2::"char"[]) AND pg_get_userbyid(c.relowner) <> $1`,
        [c.appUser, kinds.split("")],
      );
    const types = await admin.query<{ stmt: string }>(
      `SELECT format('ALTER TYPE %I.%I OWNER TO %I', n.nspname, t.typname, $1::text) AS stmt
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd') AND pg_get_userbyid(t.typowner) <> $1`,
      [c.appUser],
    );
    for (const { stmt } of types.rows) await admin.query(stmt);
    for (const { stmt } of (await statements("rpvm")).rows) await admin.query(stmt);
    for (const { stmt } of (await statements("S")).rows) await admin.query(stmt);
    await admin.query("COMMIT");
  } catch (e) {
    await admin.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    await admin.end();
  }
}
