// The PostgreSQL processes themselves: initdb for a new cluster, the postmaster, its stop. They get
// an allow-listed environment (never the caller's secrets) and, as root, run as the postgres user.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { OsIds } from "./placement.ts";

type Log = (line: string) => void;

function serverEnv(): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { PATH: process.env.PATH, LC_MESSAGES: "C" }; // readiness is read from English messages
  for (const k of ["LANG", "LC_ALL", "LC_CTYPE", "LC_COLLATE", "TZ"]) if (process.env[k]) env[k] = process.env[k];
  if (env.LC_ALL) [env.LANG, env.LC_ALL] = [env.LC_ALL, undefined]; // LC_ALL would override LC_MESSAGES
  return env as NodeJS.ProcessEnv; // (apps/web declares NODE_ENV required; the server needs none)
}

function chownTo(file: string, ids: OsIds | undefined): void {
  if (ids) fs.chownSync(file, ids.uid, ids.gid);
}

function run(file: string, args: string[], ids: OsIds | undefined, log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...ids, env: serverEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stdout.on("data", (d: Buffer) => log(d.toString().trimEnd()));
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      log(d.toString().trimEnd());
    });
    child.on("error", reject);
    child.on("close", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(file)} failed (${code ?? signal}): ${err.trim().slice(-2000)}`)),
    );
  });
}

/** A new cluster whose bootstrap superuser logs in with `password` (SCRAM). */
export async function initCluster(o: { initdb: string; pgDir: string; ids?: OsIds; user: string; password: string; log: Log }): Promise<void> {
  fs.mkdirSync(o.pgDir, { recursive: true, mode: 0o700 });
  chownTo(o.pgDir, o.ids);
  // initdb reads the password from a file only it (and we) can read, removed right after.
  const pwDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-initdb-"));
  const pwFile = path.join(pwDir, "pw");
  try {
    fs.writeFileSync(pwFile, `${o.password}\n`, { mode: 0o600 });
    chownTo(pwDir, o.ids);
    chownTo(pwFile, o.ids);
    await run(o.initdb, [`--pgdata=${o.pgDir}`, "--auth=scram-sha-256", `--username=${o.user}`, `--pwfile=${pwFile}`, "--lc-messages=C"], o.ids, o.log);
  } finally {
    fs.rmSync(pwDir, { recursive: true, force: true });
  }
}

/** Password logins (SCRAM) over loopback TCP only; no line for Unix sockets, so none is accepted. Rewritten on every start. */
export function writeHba(pgDir: string, ids: OsIds | undefined): void {
  const file = path.join(pgDir, "pg_hba.conf");
  fs.writeFileSync(file, "# Written by Drover on every start: SCRAM password logins over loopback TCP only.\nhost all all 127.0.0.1/32 scram-sha-256\n", {
    mode: 0o600,
  });
  chownTo(file, ids);
}

/** Starts the postmaster; resolves once it accepts connections. */
export function startServer(o: { postgres: string; pgDir: string; ids?: OsIds; port: number; flags: string[]; log: Log }): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(o.postgres, ["-D", o.pgDir, "-p", String(o.port), ...o.flags], { ...o.ids, env: serverEnv(), stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      const text = d.toString();
      if (err.length < 10_000) err += text;
      o.log(text.trimEnd());
      if (text.includes("database system is ready to accept connections")) resolve(child);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => reject(new Error(`postgres exited (${code ?? signal}): ${err.trim().slice(-2000)}`)));
  });
}

/** Fast shutdown (SIGINT), waiting for the postmaster to exit. */
export function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGINT");
  });
}
