// How a session ends: the end a stop request means, and the final write: flush every event, price
// the tokens, write the final status only if this attempt still owns the session (retrying the
// write until the shutdown deadline), record it in the project's activity, then the afterEnd hook.
import type { EndReason, StopReason } from "@drover/core/automation/end-reasons";
import type { Db } from "@drover/db";
import { recordEstimatedCost } from "@drover/db/services/costs";
import { endRun, scheduleResume, type Owner } from "@drover/db/sessions/index";
import type { Logger } from "pino";
import type { Exit } from "./agent-process.ts";
import type { SessionEventLog } from "./event-log.ts";
import type { SessionLifecycleHooks, SessionRow } from "./lifecycle.ts";

export interface End {
  status: "completed" | "failed" | "stopped" | "interrupted";
  reason: EndReason;
  message?: string;
  report?: unknown;
  exitCode?: number | null;
}

/** The end a stop request means, once the agent's process is gone. */
export function endForStop(stopReason: StopReason | undefined, exit: Exit, inactivitySecs: number): End {
  switch (stopReason) {
    case "user_stop":
      return { status: "stopped", reason: "user_stop", message: "Stopped on request", exitCode: exit.exitCode };
    case "inactivity_timeout":
      return {
        status: "failed",
        reason: "inactivity_timeout",
        message: `No output for ${inactivitySecs} s: the agent's process group was killed`,
        exitCode: exit.exitCode,
      };
    case "runner_shutdown":
      return { status: "interrupted", reason: "runner_shutdown", message: "The runner shut down while the agent ran", exitCode: exit.exitCode };
    default:
      return { status: "interrupted", reason: "lease_lost", message: "This runner lost its lease on the session", exitCode: exit.exitCode };
  }
}

export interface FinishInput {
  db: Db;
  log: Logger;
  runnerId: string;
  owner: Owner;
  session: SessionRow;
  end: End;
  worktreePath: string;
  events: SessionEventLog;
  hooks: SessionLifecycleHooks;
  recoverInterrupted: boolean;
  /** Set while the shutdown deadline runs: final writes stop retrying after it. */
  deadline: number | undefined;
  projectEvent: (kind: string, message: string, payload?: Record<string, unknown>) => Promise<void>;
}

/** Flush every event, then write the final status only if this attempt still owns the session. */
export async function finishSession(f: FinishInput): Promise<void> {
  const { db, end, log } = f;
  if (end.status !== "interrupted" || end.reason !== "lease_lost") {
    f.events.push({ kind: "status", status: end.status, text: `Session ${end.status} (${end.reason})${end.message ? `: ${end.message}` : ""}` });
  }
  await drainBounded(f.events, f.deadline);
  if (end.reason === "lease_lost") {
    log.warn("lease lost: not writing a final status");
    return;
  }
  // Runtimes that report tokens but no cost (Gemini, Codex) get a cost from the price table,
  // before the final status, so whoever sees the session ended sees its cost too.
  await recordEstimatedCost(db, f.owner.id).catch((err) => log.warn({ err: (err as Error).message }, "could not estimate the session's cost"));
  let written = false;
  for (let delay = 200; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      written = await endRun(db, f.owner, end);
      break;
    } catch (err) {
      if (f.deadline && Date.now() > f.deadline) {
        log.error({ err: (err as Error).message }, "could not write the final status before the shutdown deadline");
        return;
      }
      log.warn({ err: (err as Error).message }, "final status write failed; retrying");
      await new Promise((r) => setTimeout(r, delay));
    }
  }
  if (written) {
    await f
      .projectEvent(
        `session_${end.status}`,
        `${f.session.agent.name} ${end.status} on story ${f.session.story.number} (session ${f.owner.id}, ${end.reason})${end.message ? `: ${end.message.slice(0, 500)}` : ""}`,
        { reason: end.reason, worktreePath: f.worktreePath },
      )
      .catch(() => {});
    if (end.reason === "runner_shutdown" && f.recoverInterrupted) {
      await scheduleResume(db, f.owner.id, "runner shutdown").catch(() => false);
    }
  } else {
    log.warn("the session was taken over by a newer attempt; final status not written");
  }
  try {
    await f.hooks.afterEnd({ db, runnerId: f.runnerId, session: f.session, status: end.status, reason: end.reason, written });
  } catch (err) {
    log.error({ err }, "afterEnd hook failed");
  }
}

async function drainBounded(events: SessionEventLog, deadline: number | undefined): Promise<void> {
  if (!deadline) return events.drain();
  const left = deadline - Date.now();
  await Promise.race([events.drain(), new Promise((r) => setTimeout(r, Math.max(0, left)))]);
}
