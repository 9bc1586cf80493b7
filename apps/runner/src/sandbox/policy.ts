// Which sandbox each kind of run gets, from the project's roster: an agent (and its setup) sees its
// worktree, may commit there, keeps its session and runtime-state folders and reaches its runtime's
// model API; a gate or a teardown command sees its worktree (git read-only), gets an empty HOME and
// reaches only the project's `network_allow`. `sandbox = false` gives none.
import type { ProjectConfig } from "@drover/core/config/types";
import { networkAllowList } from "@drover/core/runtimes/network";
import type { SandboxRequest } from "./sandbox.ts";

export type RunSandbox = Omit<SandboxRequest, "argv" | "env" | "cwd" | "onRefused">;
type Settings = Partial<Pick<ProjectConfig, "sandbox" | "network_allow">>;

/** False only when the project opted out (configs stored before the key existed are sandboxed too). */
export function sandboxed(cfg: Settings): boolean {
  return cfg.sandbox !== false;
}

export function agentSandbox(
  cfg: Settings,
  run: {
    runtime: string;
    env: Record<string, string>;
    agentAllow?: string[];
    worktree: string;
    sessionDir: string;
    stateDir: string;
    /** The runner user's login files linked into the state folder: the CLI reads and refreshes them. */
    logins?: string[];
  },
): RunSandbox | undefined {
  if (!sandboxed(cfg)) return undefined;
  return {
    git: { worktree: run.worktree, commit: true },
    writable: [run.worktree, run.sessionDir, run.stateDir, ...(run.logins ?? [])],
    allow: networkAllowList({ runtime: run.runtime, env: run.env, project: cfg.network_allow, agent: run.agentAllow }),
  };
}

export function commandSandbox(cfg: Settings, worktree: string, env: Record<string, string>): RunSandbox | undefined {
  if (!sandboxed(cfg)) return undefined;
  // HOME and TMPDIR name the runner's own folders: the run gets empty ones in their place.
  const empty = [env.HOME, env.TMPDIR].filter((p): p is string => !!p && p.startsWith("/") && p !== "/");
  return { git: { worktree, commit: false }, writable: [worktree], empty, allow: [...(cfg.network_allow ?? [])] };
}
