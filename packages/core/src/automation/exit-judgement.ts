// How an agent's exit is judged before any gate runs. The runtime's own words win over the exit
// code: an error result or a session that did no turn is a failure even when the process exits 0.
// The one judgement: the runner's default hooks (lifecycle.decideByExit) and the pipeline use it.
import type { Outcome } from "../runtimes/types.ts";
import type { EndReason } from "./end-reasons.ts";

export interface ExitFacts {
  exitCode: number | null;
  signal?: string | null;
  /** Turns the runtime reported (max of the session counter and the result event). */
  turns?: number;
  /** The runtime's final result event, if it printed one. */
  result?: { outcome: Outcome; isError?: boolean; errorText?: string; text?: string; turns?: number } | null;
  /** A hard rate limit seen during the session. */
  hardRateLimit?: { resetsAt?: string | number } | null;
  /** Whether the runtime reports turns at all (the `command` runtime does not). */
  reportsTurns?: boolean;
}

export type ExitVerdict = { ok: true } | { ok: false; reason: EndReason; message: string };

const OUTCOME_REASON: Partial<Record<Outcome, EndReason>> = {
  max_turns: "max_turns",
  budget: "budget",
  auth: "auth",
  network: "network",
  api_error: "api_error",
  rate_limited: "rate_limited",
  resume_not_found: "resume_not_found",
  other: "error_result",
};

export function judgeExit(f: ExitFacts): ExitVerdict {
  if (f.hardRateLimit || f.result?.outcome === "rate_limited") {
    return { ok: false, reason: "rate_limited", message: f.result?.errorText ?? "the runtime hit a hard rate limit" };
  }
  if (f.result && (f.result.isError || f.result.outcome !== "success")) {
    // An unclassified error with a failing exit code: the exit code is the more specific fact.
    const reason = f.result.outcome === "other" && f.exitCode !== 0 ? "exit_code" : (OUTCOME_REASON[f.result.outcome] ?? "error_result");
    return { ok: false, reason, message: f.result.errorText ?? f.result.text ?? `the runtime ended with ${f.result.outcome}` };
  }
  const turns = Math.max(f.turns ?? 0, f.result?.turns ?? 0);
  if (f.reportsTurns !== false && turns === 0) {
    return { ok: false, reason: "zero_turns", message: "the agent exited without completing a single turn" };
  }
  if (f.exitCode !== 0) {
    const how = f.exitCode === null ? `signal ${f.signal ?? "unknown"}` : `exit code ${f.exitCode}`;
    return { ok: false, reason: "exit_code", message: `the agent process ended with ${how}` };
  }
  return { ok: true };
}
