// Claude Code's native binary from apps/runner's devDependencies, for the tests that run the real
// CLI (these, and the browser tests' runner). pnpm skips install scripts, and
// @anthropic-ai/claude-code's postinstall is what replaces its `claude` stub with the native binary
// from the platform package pnpm already installed (no download): run it when needed.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";

const runnerDir = path.resolve(import.meta.dirname, "../..");

/** The path of the `claude` executable, installed in place first if only the stub is there. */
export function claudeBinary(): string {
  const require = createRequire(path.join(runnerDir, "package.json"));
  const pkgDir = path.dirname(require.resolve("@anthropic-ai/claude-code/package.json"));
  const bin = path.join(pkgDir, "bin", "claude.exe");
  if (fs.statSync(bin).size < 4096) execFileSync(process.execPath, [path.join(pkgDir, "install.cjs")], { stdio: "pipe" });
  return bin;
}
