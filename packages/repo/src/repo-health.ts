// What `drover doctor` needs to know about a repository on this host: git and the identity agents
// commit with, the repository and its base branch, whether each gate's command exists and is
// executable, whether the worktree root is writable. Facts only; core/doctor judges them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gateArgv } from "@drover/core/config/gate-argv";
import { effectiveGates } from "@drover/core/config/parse";
import type { DoctorFacts, Executable, RepoHealth } from "@drover/core/doctor/facts";
import { worktreeRoot } from "@drover/core/pipeline/workspace";
import { simpleGit } from "simple-git";
import { findExecutable } from "./find-executable.ts";
import { buildGitEnv, repoGit } from "./git.ts";
import { readRepoConfig } from "./repo-config.ts";
import { branchExists, validateRepo } from "./validate-repo.ts";

async function inspectRepository(opts: {
  repoPath: string;
  baseBranch: string | null;
  gates: string[];
  /** Command agents' argv[0]. */
  commands?: string[];
  worktreeRoot?: string;
  pathEnv?: string;
}): Promise<RepoHealth> {
  const health: RepoHealth = {
    gitVersion: null,
    repo: { ok: false, error: "" },
    identity: null,
    baseBranch: null,
    gates: [],
    commands: [],
    worktreeRoot: null,
  };
  try {
    health.gitVersion = (await simpleGit().env(buildGitEnv()).raw(["--version"])).trim();
  } catch {
    return health;
  }
  try {
    const r = await validateRepo(opts.repoPath);
    health.repo = { ok: true, root: r.root, headBranch: r.headBranch };
  } catch (err) {
    health.repo = { ok: false, error: (err as Error).message };
    return health;
  }
  const root = health.repo.root;
  health.identity = await agentIdentity(root);
  const base = opts.baseBranch ?? health.repo.headBranch;
  if (base) health.baseBranch = { name: base, exists: await branchExists(root, base) };
  const check = (command: string, file: string | undefined): Executable => {
    const found = file ? findExecutable(file, { pathEnv: opts.pathEnv ?? process.env.PATH, cwd: root }) : ({ ok: false, problem: "not_found" } as const);
    return { command, ok: found.ok, problem: found.ok ? null : found.problem };
  };
  health.gates = opts.gates.map((g) => check(g, gateArgv(g)[0]));
  health.commands = (opts.commands ?? []).map((c) => check(c, c));
  const wt = worktreeRoot(root, opts.worktreeRoot);
  health.worktreeRoot = { path: wt, writable: writable(wt) };
  return health;
}

/**
 * The identity an agent's `git commit` gets: agents run with a private HOME, so only the
 * repository's own config (and the system's) counts, never the user's ~/.gitconfig.
 */
async function agentIdentity(root: string): Promise<{ name: string | null; email: string | null }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "drover-doctor-home-"));
  try {
    const git = repoGit(root).env({ ...buildGitEnv(), HOME: home });
    const get = async (key: string) => (await git.raw(["config", "--get", key]).catch(() => "")).trim() || null;
    return { name: await get("user.name"), email: await get("user.email") };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** The folder, or the nearest existing folder above it (it is created on first use), is writable. */
function writable(dir: string): boolean {
  let d = dir;
  while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  try {
    fs.accessSync(d, fs.constants.W_OK);
    return fs.statSync(d).isDirectory();
  } catch {
    return false;
  }
}

/** The repository and roster part of doctor's facts, for the repository at `repoPath` as its files say now. */
export async function inspectProject(repoPath: string, opts: { baseBranch?: string; pathEnv?: string } = {}): Promise<Pick<DoctorFacts, "repo" | "roster">> {
  let cfg: ReturnType<typeof readRepoConfig> | null = null;
  try {
    if (path.isAbsolute(repoPath) && fs.existsSync(repoPath)) cfg = readRepoConfig(fs.realpathSync(repoPath));
  } catch {
    cfg = null;
  }
  const parsed = cfg?.result.ok ? cfg.result.parsed.config : null;
  const gates = parsed ? effectiveGates(parsed, fs.existsSync(path.join(repoPath, "script/test"))) : [];
  const commands = (parsed?.agent ?? []).filter((a) => a.runtime === "command" && a.command?.[0]).map((a) => a.command![0]!);
  const repo = await inspectRepository({
    repoPath,
    baseBranch: opts.baseBranch ?? parsed?.base_branch ?? null,
    gates,
    commands,
    worktreeRoot: parsed?.worktree_root,
    pathEnv: opts.pathEnv,
  });
  const roster: DoctorFacts["roster"] = !cfg
    ? { ok: true, file: null, agents: [] }
    : cfg.result.ok
      ? {
          ok: true,
          file: cfg.file,
          agents: cfg.result.parsed.config.agent.map((a) => ({ name: a.name, runtime: a.runtime, command: a.command, env: a.env })),
          sandbox: cfg.result.parsed.config.sandbox !== false,
        }
      : { ok: false, error: cfg.result.error };
  return { repo, roster };
}
