// Runs the real `drover` command line (as a child process) for the browser tests that drive it
// against the running server with --url and --token.
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const main = path.join(repoRoot, "apps/runner/src/cli/main.ts");

export function drover(args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", main, ...args],
      // No route to a database: only --url can answer.
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: "postgresql://nobody@127.0.0.1:9/none", LOG_LEVEL: "warn" }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}
