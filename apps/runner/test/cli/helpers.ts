// Runs the real `drover` CLI as a child process against a test database.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFile } from "node:child_process";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../../../..");
const fixtureDir = path.resolve(here, "../fixtures/storkit");
const main = path.join(repoRoot, "apps/runner/src/cli/main.ts");

/** `env` adds to (or, with undefined, removes from) the test's environment: PATH, HOME, credentials. */
export async function drover(databaseUrl: string, args: string[], env: Record<string, string | undefined> = {}) {
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", main, ...args],
      {
        cwd: repoRoot,
        env: withoutUndefined({ ...process.env, ...env, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" }),
        timeout: 120_000,
        maxBuffer: 20 * 1024 * 1024,
      },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
  });
  return { ...r, json: () => JSON.parse(r.stdout) };
}

export function gitInit(dir: string): string {
  const git = (...a: string[]) => execFileSync("git", a, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("-c", "user.email=t@example.com", "-c", "user.name=T", "commit", "-q", "--allow-empty", "-m", "init");
  return fs.realpathSync(dir);
}

/** A copy of the storkit fixture as a git repository in a temp folder. */
export function fixtureRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-storkit-"));
  fs.cpSync(fixtureDir, dir, { recursive: true });
  return gitInit(dir);
}

function withoutUndefined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
