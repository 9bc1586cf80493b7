// After a merge: the story's worktrees go (components' teardown first), and its branches too
// unless the project keeps them.
import fs from "node:fs";
import path from "node:path";
import { parseArgsStringToArgv } from "string-argv";
import type { Db, Project, Story } from "@drover/db";
import { logProjectEvent } from "@drover/db/services/index";
import type { Logger } from "pino";
import { buildCommandEnv } from "../runner/environment.ts";
import { runGuardedCommand } from "../runner/guarded-command.ts";
import type { ComponentSpec } from "../runner/setup.ts";
import { git, worktrees } from "./git.ts";
import { mergeBranchName } from "@drover/core/pipeline/workspace";
import { removeMergeWorktree, type MergeTarget } from "./merge.ts";
import type { ProjectConfig } from "@drover/core/config/types";
import { rosterConfig } from "../runner/roster.ts";
import { commandSandbox } from "../sandbox/policy.ts";
import { projectConfigFrom } from "@drover/core/config/stored-config";
import { AUTOMATION } from "./actors.ts";

const TEARDOWN_TIMEOUT_MS = 300_000;

/** Runs the components' teardown commands in one worktree (guarded, allow-listed env); returns a note per failure. */
export async function runTeardown(
  components: ComponentSpec[],
  worktreePath: string,
  settings: Partial<Pick<ProjectConfig, "sandbox" | "network_allow">> = {},
): Promise<string[]> {
  const notes: string[] = [];
  for (const c of components) {
    const dir = path.resolve(worktreePath, c.path ?? ".");
    if (!fs.existsSync(dir)) continue;
    for (const cmd of c.teardown ?? []) {
      const env = buildCommandEnv();
      const sandbox = commandSandbox(settings, worktreePath, env);
      const r = await runGuardedCommand(parseArgsStringToArgv(cmd), { cwd: dir, env, timeoutMs: TEARDOWN_TIMEOUT_MS, ...(sandbox ? { sandbox } : {}) });
      if (r.exitCode !== 0) notes.push(`teardown "${cmd}" in ${c.name} exited ${r.error ?? r.exitCode}: ${r.tail.trim().slice(-300)}`);
    }
  }
  return notes;
}

export async function teardownStory(db: Db, story: Story, project: Project, t: MergeTarget, log: Logger): Promise<void> {
  const notes: string[] = [];
  let cfg: ProjectConfig;
  try {
    cfg = rosterConfig(project); // teardown commands come from the parsed roster text, not the row's JSON
  } catch (e) {
    notes.push(`teardown commands skipped: ${(e as Error).message}`);
    cfg = { ...projectConfigFrom(project.config), component: [] };
  }
  const storyTrees = (await worktrees(t.repoPath)).filter((w) => w.branch === t.storyBranch);
  for (const wt of storyTrees) {
    notes.push(...(await runTeardown(cfg.component ?? [], wt.path, cfg)));
    await git(t.repoPath)
      .raw(["worktree", "remove", "--force", "--force", wt.path])
      .catch((e: Error) => notes.push(`worktree remove ${wt.path}: ${e.message.trim()}`));
  }
  await removeMergeWorktree(t.repoPath, t.worktreePath, cfg.keep_branches ? undefined : mergeBranchName(t.storyNumber));
  if (!cfg.keep_branches && t.remote) {
    const note = await t.remote.deleteBranch(mergeBranchName(t.storyNumber));
    if (note) notes.push(note);
  }
  if (!cfg.keep_branches) {
    await git(t.repoPath)
      .raw(["branch", "-D", t.storyBranch])
      .catch(() => undefined);
    const note = await t.remote?.deleteBranch(t.storyBranch);
    if (note) notes.push(note);
  }
  await logProjectEvent(db, {
    projectId: project.id,
    storyId: story.id,
    kind: "teardown",
    message: `Story ${story.number}: worktrees removed${cfg.keep_branches ? " (branches kept)" : `, branches ${t.storyBranch} and ${mergeBranchName(t.storyNumber)} deleted`}${notes.length ? `; ${notes.join("; ")}` : ""}`,
    actor: AUTOMATION.merge,
  });
  if (notes.length) log.warn({ story: story.number, notes }, "teardown problems");
}
