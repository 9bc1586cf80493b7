// The contract between runtime adapters (pure: argv, env, stdin, stream parsing) and the runner
// (spawning, supervising, storing). Every runtime's output becomes these normalized events.

export type Outcome = "success" | "max_turns" | "budget" | "auth" | "network" | "api_error" | "rate_limited" | "resume_not_found" | "other";

interface EventBase {
  /** The line as the runtime printed it (kept with every event; absent for Drover's own events). */
  raw?: string;
}

export type NormalizedEvent = EventBase &
  (
    | { kind: "init"; runtimeSessionId?: string; model?: string; tools?: string[] }
    | { kind: "text"; text: string }
    | { kind: "thinking"; text: string }
    | { kind: "tool_call"; id: string; name: string; input: unknown }
    | { kind: "tool_result"; id: string; ok: boolean; output: string; truncated?: boolean }
    | {
        kind: "usage";
        /** Input tokens not read from the cache (Anthropic's meaning; OpenAI/Gemini totals minus cached). */
        inputTokens: number;
        outputTokens: number;
        cacheReadTokens?: number;
        cacheWriteTokens?: number;
        costUsd?: number;
        /** true when tokens/cost are cumulative totals for the session, not an increment */
        cumulative?: boolean;
      }
    | { kind: "rate_limit"; level: "warning" | "hard"; resetsAt?: string; text?: string }
    | { kind: "stderr"; text: string }
    | { kind: "error"; text: string; fatal?: boolean }
    | {
        kind: "result";
        outcome: Outcome;
        text?: string;
        turns?: number;
        costUsd?: number;
        isError?: boolean;
        /** The runtime's own words on a failure. */
        errorText?: string;
      }
    // Drover's own kinds, written by the runner and pipeline.
    | { kind: "status"; text: string; status?: string }
    | { kind: "setup"; text: string; command?: string; exitCode?: number }
    | { kind: "gate"; text: string; command?: string; exitCode?: number; passed?: boolean }
  );

/** What the runner knows about the session it is about to spawn. */
export interface SpawnRequest {
  /** The agent's roster entry, as parsed from config (see config/roster). */
  agent: AgentSpec;
  /** The first user message: full rendered prompt, or only the new message when resuming. */
  prompt: string;
  /** Runtime session id to resume (only when resuming). */
  resumeId?: string;
  cwd: string;
  /** A private folder for this session (HOME, TMPDIR, settings files). */
  sessionDir: string;
  /**
   * A folder that outlives the session, shared by this agent's sessions, where a CLI keeps the
   * conversations it can --resume. Default: <parent of sessionDir>/runtime-state/<agent>-<hash of the worktree root>.
   */
  stateDir?: string;
  /** Template variables (story_id, worktree_path, ...) for command argv. */
  vars: Record<string, string>;
  /**
   * Folders outside cwd that a commit writes: the worktree's git dir (its index) and the repository's
   * common git dir (objects, refs). A sandboxing CLI (Codex) is given write access to these and no more.
   */
  writableDirs?: string[];
  /** The runtime's login files present for the runner's user (relative to its home). */
  logins?: string[];
  /** The runner runs it in its sandbox, as an unprivileged user (apps/runner/src/sandbox). */
  sandboxed?: boolean;
  /** Drover's MCP server for this session (absent: the runner serves none); see runtimes/mcp.ts. */
  mcp?: { url: string; token: string };
}

/** The part of a roster entry a runtime needs. */
export interface AgentSpec {
  name: string;
  runtime: string;
  model?: string;
  allowed_tools?: string[];
  max_turns?: number;
  max_budget_usd?: number;
  system_prompt?: string;
  permission_mode?: string;
  command?: string[];
  env?: Record<string, string>;
  /** false: this agent gets no Drover MCP tools. */
  mcp?: boolean;
  [key: string]: unknown;
}

export interface SpawnPlan {
  /** The executable (a name on PATH or an absolute path); never run through a shell. */
  file: string;
  args: string[];
  /** Added to the allow-listed environment the runner builds. */
  env: Record<string, string>;
  /** Written to stdin, then stdin is closed; undefined closes stdin at once. */
  stdin?: string;
  /** Files to write before spawning (absolute path -> content), e.g. settings in the session HOME. */
  files?: Record<string, string>;
  /** npm package that provides `file`, for the spawn-error message. */
  installHint?: string;
  /** Login files to link into the CLI's state folder: absolute path there -> file relative to the runner user's home. */
  links?: Record<string, string>;
}

/** Parses one session's stdout; stateful (merges deltas, tracks turns). */
export interface StreamParser {
  /** One stdout line in, zero or more normalized events out. */
  line(line: string): NormalizedEvent[];
  /**
   * One stderr line (the runner stores it as a `stderr` event itself). Parsers keep a tail so a
   * result synthesized in end() quotes the CLI's own words (Gemini reports a missing key or an
   * unknown resume id only on stderr).
   */
  stderr?(line: string): void;
  /** The process exited: final events (for example a synthesized result) from what was seen. */
  end(exit: { exitCode: number | null; signal?: string | null }): NormalizedEvent[];
}

export interface RuntimeAdapter {
  name: string;
  plan(req: SpawnRequest): SpawnPlan;
  /** The request is optional for compatibility; pass it: Codex enforces max_turns from it. */
  parser(req?: SpawnRequest): StreamParser;
}
