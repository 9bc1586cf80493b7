// Throwaway git repositories: the fixture project's (a roster of deterministic command agents), and
// one with any roster a test gives.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const AGENT = fileURLToPath(new URL("./agent.mjs", import.meta.url));
/** In the repository, so agents find it in their worktree: a sandboxed run sees nothing outside it. */
export const AGENT_IN_REPO = ".drover/e2e-agent.mjs";

/** Puts the deterministic agent into a repository at AGENT_IN_REPO (commit it with the rest). */
export function putAgent(dir: string): void {
  fs.mkdirSync(path.join(dir, ".drover"), { recursive: true });
  fs.copyFileSync(AGENT, path.join(dir, AGENT_IN_REPO));
}

// Only {{story_id}}: the config parser and the runner agree on it (they differ on the agent's name).
function agentEntry(name: string, stage: string, lines: number, intervalMs: number): string {
  return [
    "[[agent]]",
    `name = "${name}"`,
    `stage = "${stage}"`,
    `runtime = "command"`,
    `command = ["node", "${AGENT_IN_REPO}", "{{story_id}}", "${name}", "${lines}", "${intervalMs}"]`,
    "inactivity_timeout_secs = 60",
    "",
  ].join("\n");
}

export function createFixtureRepo(dir: string): string {
  fs.mkdirSync(path.join(dir, ".drover"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, ".drover", "project.toml"),
    [
      "# e2e fixture project",
      'default_qa = "human"',
      "max_retries = 1",
      "",
      // Agents the tests start by hand are stage "other", so the runner's auto-assign (which
      // only staffs coder, qa and merge work) never starts them behind a test's back.
      // "slow" streams for a minute: started, watched and stopped by the tests.
      agentEntry("slow-coder", "other", 300, 200),
      agentEntry("helper", "other", 300, 200),
      // "quick" finishes in about a second.
      agentEntry("quick-coder", "other", 5, 100),
      // With default_qa = "human", QA waits for a person: the reviewer is never auto-started.
      agentEntry("reviewer", "qa", 3, 100),
    ].join("\n"),
  );
  fs.writeFileSync(path.join(dir, "README.md"), "# e2e fixture\n");
  putAgent(dir);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("-c", "user.name=e2e", "-c", "user.email=e2e@drover.local", "commit", "-q", "-m", "init");
  return dir;
}

/** A new repository in the suite's temp folder whose one commit holds `.drover/project.toml` = `roster`. */
export function repoWithRoster(roster: string, prefix = "proj"): string {
  const dir = path.join(process.env.DROVER_E2E_TMP!, `${prefix}-${Math.random().toString(36).slice(2, 10)}`);
  fs.mkdirSync(path.join(dir, ".drover"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".drover", "project.toml"), roster);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("-c", "user.name=e2e", "-c", "user.email=e2e@drover.local", "commit", "-q", "-m", "init");
  return dir;
}
