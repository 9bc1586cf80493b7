// Every reason a session can end with: the one vocabulary for status writes, exit judgement,
// failure kinds and the board. A reason not listed here is a type error where it is written.
export const END_REASONS = [
  // completed
  "completed",
  // the exit judgement (judgeExit)
  "exit_code",
  "zero_turns",
  "error_result",
  "max_turns",
  "budget",
  "auth",
  "network",
  "api_error",
  "rate_limited",
  "resume_not_found",
  // the pipeline's checks after a clean exit
  "gate_failed",
  "uncommitted_changes",
  "merge_conflict",
  // the runner: before or around the agent process
  "spawn_error",
  "setup_failed",
  "worktree_error",
  "path_escape",
  "bad_branch",
  "bad_config",
  "runner_error",
  "agent_disabled",
  "config_error",
  // stops and interruptions
  "user_stop",
  "inactivity_timeout",
  "runner_shutdown",
  "lease_lost",
  "runner_lost",
  "story_moved",
  "budget_exceeded",
] as const;

export type EndReason = (typeof END_REASONS)[number];

/** Why a runner stops a running agent itself. */
export type StopReason = Extract<EndReason, "user_stop" | "inactivity_timeout" | "runner_shutdown" | "lease_lost">;
