// The database every Drover process uses: DATABASE_URL when set, else the embedded PostgreSQL in
// the data folder. When `drover up` already runs that server, other commands (drover status,
// import ...) connect to it instead of starting a second server on the same folder.
import fs from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@drover/db/embedded";
import { connectionUrl, readCredentials } from "@drover/db/embedded/credentials";
import { applyMigrations } from "@drover/db/migrate";
import { dataDir } from "@drover/db/paths";

export interface LocalDatabase {
  url: string;
  /** Stops the embedded server if this process started it; a no-op otherwise. */
  stop(): Promise<void>;
  embedded: boolean;
  /** The embedded server when this process started it (`drover up` watches and restarts it). */
  server?: EmbeddedDatabase;
}

/** Port of a live embedded server on this data folder, read from postmaster.pid (line 4). */
function runningEmbeddedPort(pgDir: string): number | undefined {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return undefined;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  const port = Number(lines[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

export async function ensureLocalDatabase(opts: { log?: (line: string) => void; migrate?: boolean } = {}): Promise<LocalDatabase> {
  let db: LocalDatabase;
  if (process.env.DATABASE_URL) {
    db = { url: process.env.DATABASE_URL, stop: async () => {}, embedded: false };
  } else {
    const dir = dataDir();
    const port = runningEmbeddedPort(path.join(dir, "pg"));
    const creds = port ? readCredentials(dir) : undefined;
    if (port && creds) {
      // The app's own login (not the superuser), from the 0600 file only Drover's user can read.
      db = { url: connectionUrl(creds.appUser, creds.appPassword, port, "drover"), stop: async () => {}, embedded: true };
    } else {
      const server = await startEmbeddedPostgres({ dataDir: dir, log: opts.log });
      db = { url: server.url, stop: () => server.stop(), embedded: true, server };
    }
  }
  if (opts.migrate !== false) await applyMigrations(db.url);
  return db;
}
