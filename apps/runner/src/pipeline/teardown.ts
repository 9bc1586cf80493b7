// After a merge: the story's worktrees go (components' teardown first), and its branches too
// unless the project keeps them.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { parseArgsStringToArgv } from "string-argv";
import type { Db, Project, Story } from "@drover/db";
import { logProjectEvent } from "@drover/db/services/index";
import type { Logger } from "pino";
import { git, worktrees } from "./git.ts";
import { mergeBranchName, removeMergeWorktree, type MergeTarget } from "./merge.ts";
import type { ProjectConfig } from "@drover/core/config/types";
import { rosterConfig } from "../runner/roster.ts";
import { projectConfig } from "./settings.ts";

function runCommand(argv: string[], cwd: string, timeoutMs = 300_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(argv[0]!, argv.slice(1), { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const add = (b: Buffer) => (output = (output + b.toString()).slice(-4000));
    child.stdout.on("data", add);
    child.stderr.on("data", add);
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.once("error", (e) => {
      clearTimeout(t);
      resolve({ code: null, output: e.message });
    });
    child.once("close", (code) => {
      clearTimeout(t);
      resolve({ code, output });
    });
  });
}

export async function teardownStory(db: Db, story: Story, project: Project, t: MergeTarget, log: Logger): Promise<void> {
  const notes: string[] = [];
  let cfg: ProjectConfig;
  try {
    cfg = rosterConfig(project); // teardown commands come from the parsed roster text, not the row's JSON
  } catch (e) {
    notes.push(`teardown commands skipped: ${(e as Error).message}`);
    cfg = { ...projectConfig(project.config), component: [] };
  }
  const storyTrees = (await worktrees(t.repoPath)).filter((w) => w.branch === t.storyBranch);
  for (const wt of storyTrees) {
    for (const c of cfg.component ?? []) {
      const dir = path.resolve(wt.path, c.path ?? ".");
      if (!fs.existsSync(dir)) continue;
      for (const cmd of c.teardown ?? []) {
        const r = await runCommand(parseArgsStringToArgv(cmd), dir);
        if (r.code !== 0) notes.push(`teardown "${cmd}" in ${c.name} exited ${r.code}: ${r.output.trim().slice(-300)}`);
      }
    }
    await git(t.repoPath).raw(["worktree", "remove", "--force", "--force", wt.path]).catch((e: Error) => notes.push(`worktree remove ${wt.path}: ${e.message.trim()}`));
  }
  await removeMergeWorktree(t.repoPath, t.worktreePath, cfg.keep_branches ? undefined : mergeBranchName(t.storyNumber));
  if (!cfg.keep_branches) await git(t.repoPath).raw(["branch", "-D", t.storyBranch]).catch(() => undefined);
  await logProjectEvent(db, {
    projectId: project.id,
    storyId: story.id,
    agentName: "pipeline",
    kind: "teardown",
    message: `Story ${story.number}: worktrees removed${cfg.keep_branches ? " (branches kept)" : `, branches ${t.storyBranch} and ${mergeBranchName(t.storyNumber)} deleted`}${notes.length ? `; ${notes.join("; ")}` : ""}`,
  });
  if (notes.length) log.warn({ story: story.number, notes }, "teardown problems");
}
