// What `pnpm start` may skip: install when the lockfile and package manifests are those of the
// last install, build when the sources the web build reads are those of the last build. Each
// stamp is a SHA-256 of file contents (not times: a checkout rewrites times, not contents).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SKIP = new Set(["node_modules", ".next", "test", "e2e", "test-results", "playwright-report", "generated"]);

function listFiles(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIP.has(e.name) || e.name.startsWith(".") || e.name.endsWith(".tsbuildinfo")) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function hashFiles(root, files) {
  const h = createHash("sha256");
  for (const f of files) {
    h.update(path.relative(root, f)).update("\0");
    h.update(fs.existsSync(f) ? fs.readFileSync(f) : "(missing)").update("\0");
  }
  return h.digest("hex");
}

const workspaceDirs = (root) =>
  ["apps", "packages"].flatMap((d) => (fs.existsSync(path.join(root, d)) ? fs.readdirSync(path.join(root, d)).map((n) => path.join(root, d, n)) : []));

/** Lockfile, workspace file and every package.json. */
function installHash(root = repoRoot) {
  const files = ["pnpm-lock.yaml", "pnpm-workspace.yaml", "package.json"].map((f) => path.join(root, f));
  for (const d of workspaceDirs(root)) files.push(path.join(d, "package.json"));
  return hashFiles(root, files);
}

/** Everything the web build reads: the install, the Prisma schema, the web app and the packages' sources. */
function buildHash(root = repoRoot) {
  const files = [path.join(root, "prisma/schema.prisma")];
  for (const d of workspaceDirs(root)) if (path.basename(d) !== "runner") listFiles(d, files);
  return createHash("sha256").update(installHash(root)).update(hashFiles(root, files)).digest("hex");
}

const installStampFile = (root = repoRoot) => path.join(root, "node_modules/.drover-install-stamp");
const buildStampFile = (root = repoRoot) => path.join(root, "apps/web/.next/drover-build-stamp");

const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8").trim() : undefined);

export const installCurrent = (root = repoRoot) => read(installStampFile(root)) === installHash(root);
/** The build is current when its stamp matches and the build it describes is there. */
export const buildCurrent = (root = repoRoot) => fs.existsSync(path.join(root, "apps/web/.next/BUILD_ID")) && read(buildStampFile(root)) === buildHash(root);

export function writeInstallStamp(root = repoRoot) {
  fs.mkdirSync(path.dirname(installStampFile(root)), { recursive: true });
  fs.writeFileSync(installStampFile(root), `${installHash(root)}\n`);
}
export function writeBuildStamp(root = repoRoot) {
  fs.writeFileSync(buildStampFile(root), `${buildHash(root)}\n`);
}

// `node scripts/start-stamps.mjs build`: records the build just made (the end of `pnpm build`).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === "build") writeBuildStamp();
  else {
    console.error("usage: node scripts/start-stamps.mjs build");
    process.exit(2);
  }
}
