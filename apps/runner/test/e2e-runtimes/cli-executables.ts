// The agent CLIs from apps/runner's devDependencies, for the tests that run them for real (these,
// and the browser tests' runner). pnpm skips install scripts, and @anthropic-ai/claude-code's
// postinstall is what replaces its `claude` stub with the native binary from the platform package
// pnpm already installed (no download): it is run when needed.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";

const PACKAGES = { claude: "@anthropic-ai/claude-code", codex: "@openai/codex", gemini: "@google/gemini-cli" } as const;

const require = createRequire(path.resolve(import.meta.dirname, "../../package.json"));

/** The file a CLI's command runs (its package's `bin` entry), ready to run. */
export function cliExecutable(cli: keyof typeof PACKAGES): string {
  const manifest = require.resolve(`${PACKAGES[cli]}/package.json`);
  const pkgDir = path.dirname(manifest);
  const bin = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { bin: string | Record<string, string> }).bin;
  const file = path.join(pkgDir, typeof bin === "string" ? bin : bin[cli]!);
  if (cli === "claude" && fs.statSync(file).size < 4096) execFileSync(process.execPath, [path.join(pkgDir, "install.cjs")], { stdio: "pipe" });
  return file;
}
