// The normalized project config: snake_case keys as written in .drover/project.toml (storkit's format).
import type { AgentSpec } from "../runtimes/types.ts";

export const AGENT_STAGES = ["coder", "qa", "mergemaster", "other"] as const;
export type AgentStageName = (typeof AGENT_STAGES)[number];

export const RUNTIMES = ["claude-code", "gemini", "codex", "command"] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

export const QA_MODES = ["server", "agent", "human"] as const;
export type QaModeName = (typeof QA_MODES)[number];

export interface AgentConfig extends AgentSpec {
  name: string;
  role?: string;
  stage: AgentStageName;
  runtime: RuntimeName;
  model?: string;
  allowed_tools?: string[];
  max_turns?: number;
  max_budget_usd?: number;
  prompt?: string;
  system_prompt?: string;
  permission_mode?: string;
  inactivity_timeout_secs: number;
  command?: string[];
  env?: Record<string, string>;
  /** "host:port" entries this agent's sandboxed runs may reach besides the defaults. */
  network_allow?: string[];
  /** false: no Drover MCP tools for this agent (default on). */
  mcp?: boolean;
}

export interface ComponentConfig {
  name: string;
  path: string;
  setup: string[];
  teardown: string[];
}

export interface ModelPrice {
  input_per_mtok: number;
  output_per_mtok: number;
  cache_read_per_mtok?: number;
  cache_write_per_mtok?: number;
}

export interface ProjectConfig {
  /** Unset: the repository's HEAD branch when the project was added. */
  base_branch?: string;
  default_qa: QaModeName;
  default_coder_model?: string;
  max_coders: number;
  /** Work retries before the story is blocked; 0 means no limit. Retries back off either way (retryDelayMs). */
  max_retries: number;
  /** Unset: ["script/test"] when that file exists in the worktree (see effectiveGates). */
  gates?: string[];
  done_retention_secs: number;
  /** Finished sessions older than this many days are compacted (see packages/db/src/services/session-compaction.ts); 0 keeps every event forever. */
  event_retention_days: number;
  copy_files: string[];
  worktree_root: string;
  daily_budget_usd?: number;
  keep_branches: boolean;
  gate_timeout_secs: number;
  prices: Record<string, ModelPrice>;
  agent: AgentConfig[];
  component: ComponentConfig[];
  /** Runs agents, setup, gates and teardown in a sandbox (Linux, bubblewrap); false opts out, with a warning on the board. */
  sandbox: boolean;
  /** "host:port" entries every sandboxed run of the project may reach (agents add their own). */
  network_allow: string[];
}

export interface ParsedConfig {
  config: ProjectConfig;
  warnings: string[];
}

/** A repository's config as read from its files (@drover/repo's readRepoConfig): the file, its stored text, and the parse. */
export interface RepoConfig {
  /** Relative path of the file read, or null when the repository has none. */
  file: string | null;
  text: string | null;
  /** Parsed config, or the parse error (a DomainError's message). */
  result: { ok: true; parsed: ParsedConfig } | { ok: false; error: string };
}
