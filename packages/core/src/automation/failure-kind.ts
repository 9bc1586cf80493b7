// Sorting session-end reasons by whose fault they are. Only failures of the work itself spend a
// story's retries; a crashing CLI or a broken environment must never burn them (storkit did).
import type { EndReason } from "./end-reasons.ts";

export type FailureKind = "work" | "crash" | "environment" | "rate_limited" | "stopped" | "interrupted";

const WORK = new Set<EndReason>(["gate_failed", "uncommitted_changes", "max_turns", "inactivity_timeout", "error_result", "merge_conflict"]);
const CRASH = new Set<EndReason>(["zero_turns", "exit_code", "api_error", "network", "resume_not_found"]);
const ENVIRONMENT = new Set<EndReason>([
  "spawn_error",
  "setup_failed",
  "worktree_error",
  "path_escape",
  "auth",
  "budget",
  "budget_exceeded",
  "config_error",
  "bad_config",
  "agent_disabled",
]);

export function failureKind(status: string, reason: string | null | undefined): FailureKind | null {
  if (status === "completed") return null;
  if (status === "stopped") return "stopped";
  if (status === "interrupted") return "interrupted";
  const r = (reason ?? "") as EndReason;
  if (r === "rate_limited") return "rate_limited";
  if (r === "user_stop") return "stopped";
  if (WORK.has(r)) return "work";
  if (CRASH.has(r)) return "crash";
  if (ENVIRONMENT.has(r)) return "environment";
  // Unknown reasons are treated as crashes: bounded restarts that do not spend the work's retries.
  return "crash";
}
