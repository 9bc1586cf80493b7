// The one fixture for a real git repository in a temp folder (tests and benchmarks): one commit on
// `main` (or `branch`) with a committer identity, optional files and a roster in .drover/ (or
// `configDir`).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TestRepo {
  /** Where to create it (made if missing); default a new temp folder. */
  dir?: string;
  branch?: string;
  /** Files of the first commit, by relative path; default a README.md. */
  files?: Record<string, string>;
  /** project.toml text, written to `configDir` (default .drover). */
  config?: string;
  configDir?: string;
  /** agents.toml text, beside project.toml. */
  agentsToml?: string;
}

export function makeRepo(opts: TestRepo = {}): string {
  const dir = opts.dir ?? fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-repo-")));
  fs.mkdirSync(dir, { recursive: true });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", opts.branch ?? "main");
  git("config", "user.email", "test@example.com");
  git("config", "user.name", "Test");
  const files: Record<string, string> = { ...(opts.files ?? { "README.md": "# test\n" }) };
  const cfgDir = opts.configDir ?? ".drover";
  if (opts.config !== undefined) files[path.join(cfgDir, "project.toml")] = opts.config;
  if (opts.agentsToml !== undefined) files[path.join(cfgDir, "agents.toml")] = opts.agentsToml;
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  git("add", "-A");
  git("commit", "-q", "-m", "init");
  return dir;
}
