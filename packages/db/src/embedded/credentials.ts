// The embedded server's logins: random passwords made on first start and kept in a 0600 file of
// the data folder (never logged, never put in an error). A cluster made before this file existed
// has the old fixed superuser drover/drover; it is upgraded on its next start (see roles.ts).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface Credentials {
  /** The bootstrap superuser: creates the app role and databases; never handed to the app. */
  adminUser: string;
  adminPassword: string;
  /** The role the application and migrations use: owner of its database, not a superuser. */
  appUser: string;
  appPassword: string;
}

const APP_USER = "drover_app";
/** The fixed login of clusters made before random passwords (still its bootstrap superuser). */
export const LEGACY_ADMIN = { user: "drover", password: "drover" } as const;

const FILE = "credentials.json";

function secret(): string {
  return randomBytes(24).toString("hex"); // URL-safe: goes into connection strings as is
}

function credentialsFile(dataDir: string): string {
  return path.join(dataDir, FILE);
}

/** Reads the data folder's credentials, or undefined when it has none (new or legacy cluster). */
export function readCredentials(dataDir: string): Credentials | undefined {
  const file = credentialsFile(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if ((e as NodeJS.ErrnoException).code === "EACCES") {
      throw new Error(`Cannot read ${file}: run this command as the user that runs Drover (the file is private to it)`);
    }
    throw e;
  }
  const c = JSON.parse(text) as Partial<Credentials>;
  if (!c.adminUser || !c.adminPassword || !c.appUser || !c.appPassword) throw new Error(`${file} is incomplete: stop Drover, remove the file and start again`);
  return c as Credentials;
}

/** New random credentials, written 0600 before anything uses them (so a crash cannot lose them). */
export function createCredentials(dataDir: string, adminUser: string): Credentials {
  const c: Credentials = { adminUser, adminPassword: secret(), appUser: APP_USER, appPassword: secret() };
  const file = credentialsFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  fs.renameSync(tmp, file);
  return c;
}

export function connectionUrl(user: string, password: string, port: number, database: string): string {
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}
