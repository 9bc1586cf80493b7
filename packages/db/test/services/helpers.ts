// Test helpers: real git repositories in temp folders, and a project with a roster in a test DB.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "../../src/client.ts";
import { addProject } from "../../src/services/projects.ts";
import { repoAccess } from "../../../repo/src/index.ts";
import { testActor } from "../../testing/actors.ts";

export function makeRepo(opts: { branch?: string; config?: string; configDir?: string; agentsToml?: string } = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-repo-")));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", opts.branch ?? "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "Test");
  fs.writeFileSync(path.join(dir, "README.md"), "# test\n");
  const cfgDir = path.join(dir, opts.configDir ?? ".drover");
  if (opts.config !== undefined) {
    fs.mkdirSync(cfgDir, { recursive: true });
    fs.writeFileSync(path.join(cfgDir, "project.toml"), opts.config);
  }
  if (opts.agentsToml !== undefined) {
    fs.mkdirSync(cfgDir, { recursive: true });
    fs.writeFileSync(path.join(cfgDir, "agents.toml"), opts.agentsToml);
  }
  git("add", ".");
  git("commit", "-q", "-m", "init");
  return dir;
}

export const ROSTER = `
max_coders = 3

[[agent]]
name = "coder-1"
stage = "coder"
model = "sonnet"
prompt = "You are {{agent_name}} on story {{story_id}} ({{story_name}}) in {{worktree_path}} on {{branch}} from {{base_branch}}."

[[agent]]
name = "coder-2"
stage = "coder"
model = "sonnet"

[[agent]]
name = "coder-opus"
stage = "coder"
model = "opus"

[[agent]]
name = "qa-1"
stage = "qa"
model = "sonnet"

[[agent]]
name = "merger"
stage = "mergemaster"

[[agent]]
name = "helper"
stage = "other"
`;

export async function projectWithRoster(db: Db, config = ROSTER) {
  const repo = makeRepo({ config });
  const { project } = await addProject(db, { repoPath: repo, name: `p-${path.basename(repo)}` }, repoAccess, testActor);
  return project;
}

/** Expects a promise to reject with a DomainError of this code whose message matches. */
export async function rejects(p: Promise<unknown>, code: string, msg: RegExp) {
  try {
    await p;
  } catch (e) {
    const err = e as { name?: string; code?: string; message: string };
    if (err.name !== "DomainError") throw e;
    if (err.code !== code || !msg.test(err.message)) throw new Error(`expected ${code} ${msg}, got ${err.code}: ${err.message}`);
    return;
  }
  throw new Error(`expected rejection ${code} ${msg}`);
}
