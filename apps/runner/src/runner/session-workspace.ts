// Everything a session needs on disk before its agent starts: the roster entry (checked against the
// session's runtime), the story's worktree and branch, the session's private HOME and TMP, the
// runtime's state folder, and the repository's setup (copied files, component setup commands) once
// per worktree.
import fs from "node:fs";
import path from "node:path";
import { badRequest } from "@drover/core/errors";
import type { AgentConfig, ProjectConfig } from "@drover/core/config/types";
import { branchForDir, storyDirName, worktreeRoot } from "@drover/core/pipeline/workspace";
import type { NormalizedEvent } from "@drover/core/runtimes/types";
import { buildAgentEnv } from "./environment.ts";
import { withGitIdentity } from "./git-identity.ts";
import type { SessionRow } from "./lifecycle.ts";
import { rosterAgent, rosterConfig } from "./roster.ts";
import { copyFiles, runSetup } from "./setup.ts";
import { runtimeStateDir } from "./state-paths.ts";
import { ensureWorktree } from "./worktree.ts";
import { describeReconcile, type ProjectRepos } from "./project-repos.ts";
import type { Db } from "@drover/db";
import { remoteMergeWorktree } from "../automation/merge-workspace.ts";
import { mergeTargetFor } from "../automation/target.ts";
import { agentSandbox } from "../sandbox/policy.ts";
import type { StartSteps } from "./start-steps.ts";

const SETUP_MARKER = "drover-setup-done";

export interface Workspace {
  roster: ProjectConfig;
  /** The agent's roster entry as parsed from the roster text (never from the rows' JSON). */
  agent: AgentConfig;
  repoPath: string;
  worktreePath: string;
  branch: string;
  baseBranch: string;
  /**
   * What a commit in the worktree writes outside it: the worktree's own git dir (index, HEAD) and
   * the repository's common git dir (objects, refs). Both are named: Codex keeps a worktree's git
   * dir read-only unless it is a writable root itself.
   */
  gitDirs: string[];
  sessionDir: string;
  stateDir: string;
  home: string;
  tmp: string;
  /** DROVER_* variables every process of the session gets. */
  drover: Record<string, string>;
}

export interface WorkspaceInput {
  session: SessionRow;
  sessionId: number;
  attempt: number;
  sessionsDir: string;
  stateRoot: string;
  /** Where each project's repository is on this runner (a remote project's clone, fetched here). */
  repos: ProjectRepos;
  db: Db;
  /** Writes an entry in the story's activity (what the board shows). */
  activity: (kind: string, message: string, payload: object) => Promise<void>;
  setupTimeoutSecs: number;
  emit: (ev: NormalizedEvent) => void;
  /** Timing of the way to the agent's spawn (start-steps.ts). */
  steps?: StartSteps;
  /** Called as soon as the worktree exists (before setup), so a failing setup still knows it. */
  onWorktree: (w: { path: string; branch: string; baseBranch: string }) => void;
}

export async function prepareWorkspace(input: WorkspaceInput): Promise<Workspace> {
  const { session, emit } = input;
  // Commands come from the roster text, parsed again here (see roster.ts), not from the rows' JSON.
  const roster = rosterConfig(session.project);
  const agent = rosterAgent(session.project, session.agent.name, roster);
  if (agent.runtime !== session.runtime) {
    throw badRequest(
      `Agent ${session.agent.name} has runtime "${agent.runtime}" in the roster but the session was made for "${session.runtime}": start it again`,
    );
  }
  input.steps?.mark("roster");
  const { project } = session;
  const repoPath = input.repos.path(project);
  const root = worktreeRoot(repoPath, roster.worktree_root);
  const name = storyDirName(session.story.number, session.story.slug);
  const branch = session.branch ?? branchForDir(name);
  const baseBranch = session.baseBranch ?? project.baseBranch;
  let wtPath = session.worktreePath ?? path.join(root, name);
  if (project.remoteUrl) {
    // A mergemaster works on the merge branch; what it merges is the story branch.
    const merge = session.stage === "mergemaster" ? await mergeTargetFor(input.db, session.story, project, input.repos) : null;
    const storyBranch = merge?.storyBranch ?? branch;
    // Fetch first: the base and the story's branch may have moved on another host.
    const synced = await input.repos.sync(project, storyBranch);
    if (!synced.base) throw badRequest(`The remote ${project.remoteUrl} has no branch ${project.baseBranch} yet: push a first commit to it`);
    const said = synced.branch ? describeReconcile(storyBranch, synced.branch) : {};
    if (said.status) emit({ kind: "status", text: said.status });
    if (said.activity) await input.activity(said.activity.kind, said.activity.message, said.activity.payload).catch(() => {}); // the session log has it too
    if (merge) {
      // The host that prepared the merge may be another one: the merge worktree is made here from the remote.
      const made = await remoteMergeWorktree(input.db, session.story, merge);
      const how =
        made.how === "prepared"
          ? `prepared here again from ${storyBranch} and the remote ${baseBranch}${made.conflicts.length ? ` (conflicts in ${made.conflicts.join(", ")})` : ""}`
          : made.how === "restored"
            ? "restored from the merge branch on the remote"
            : "kept as this host prepared it";
      emit({ kind: "status", text: `Merge worktree ${how}` });
      wtPath = merge.worktreePath;
    } else {
      // A worktree path recorded by another host means nothing here: the same folder name under this clone.
      wtPath = path.join(root, path.basename(wtPath));
    }
  }
  const wt = await ensureWorktree({ repoPath, root, path: wtPath, branch, baseBranch });
  input.steps?.mark("worktree");
  input.onWorktree({ path: wt.path, branch, baseBranch });
  emit({ kind: "status", text: `${wt.created ? "Created" : "Reusing"} worktree ${wt.path} on branch ${branch}` });

  const sessionDir = path.join(input.sessionsDir, String(input.sessionId));
  // Conversations the CLIs keep (for resume) live per project and agent, not per session or
  // runner, so a later session, or a restarted runner on this host, can resume them.
  const stateDir = runtimeStateDir(input.stateRoot, session.projectId, session.agent.name);
  const home = path.join(sessionDir, "home");
  const tmp = path.join(sessionDir, "tmp");
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(tmp, { recursive: true });
  const drover = {
    DROVER_SESSION_ID: String(input.sessionId),
    DROVER_ATTEMPT: String(input.attempt),
    DROVER_STORY_NUMBER: String(session.story.number),
    DROVER_AGENT: session.agent.name,
    DROVER_WORKTREE: wt.path,
    DROVER_BRANCH: branch,
    DROVER_BASE_BRANCH: baseBranch,
  };

  const marker = path.join(wt.gitDir, SETUP_MARKER);
  if (!fs.existsSync(marker)) {
    copyFiles(repoPath, wt.path, roster.copy_files, emit);
    const env = await withGitIdentity(buildAgentEnv({ home, tmp, drover }), wt.path, agent.name);
    // Setup runs in the agent's sandbox, with the agent's network allowlist (a registry for npm install is a network_allow entry).
    const sandbox = agentSandbox(roster, {
      runtime: agent.runtime,
      env: { ...env, ...agent.env },
      agentAllow: agent.network_allow,
      worktree: wt.path,
      sessionDir,
      stateDir,
    });
    await runSetup({ wt: wt.path, components: roster.component, env, timeoutMs: input.setupTimeoutSecs * 1000, emit, sandbox });
    fs.writeFileSync(marker, new Date().toISOString());
  }
  return { roster, agent, repoPath, worktreePath: wt.path, branch, baseBranch, gitDirs: [wt.gitDir, wt.commonDir], sessionDir, stateDir, home, tmp, drover };
}
