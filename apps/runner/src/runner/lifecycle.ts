// How a session ends is decided outside the supervisor: the pipeline (gates, advancing, retries)
// plugs in here. The runner calls onExit once the agent process has exited and all its events are
// stored, writes the returned status conditionally on (session id, attempt, runner id), then calls
// afterEnd for every session that ended, however it ended.
import type { Db } from "@drover/db";
import type { Agent, AgentSession, Project, Story } from "@drover/db";
import type { EndReason } from "@drover/core/automation/end-reasons";
import { judgeExit } from "@drover/core/automation/exit-judgement";
import type { NormalizedEvent } from "@drover/core/runtimes/types";

export type SessionRow = AgentSession & { story: Story; agent: Agent; project: Project };

export interface SessionExitContext {
  db: Db;
  runnerId: string;
  session: SessionRow;
  worktreePath: string;
  exitCode: number | null;
  signal: string | null;
  /** The last `result` event the runtime produced (or the adapter synthesized), if any. */
  result?: Extract<NormalizedEvent, { kind: "result" }>;
  /** Turns reported for this session so far. */
  turns: number;
  /** Appends an event to the session log (in order, after the agent's own events). */
  emit(event: NormalizedEvent): Promise<void>;
}

export interface SessionExitDecision {
  status: "completed" | "failed";
  reason: EndReason;
  message?: string;
  report?: unknown;
}

export interface SessionEndContext {
  db: Db;
  runnerId: string;
  session: SessionRow;
  /** The status written (or the status a newer attempt already holds when this one lost its lease). */
  status: "completed" | "failed" | "stopped" | "interrupted";
  reason: EndReason;
  /** False when the conditional final write matched nothing (the session was taken over). */
  written: boolean;
}

export interface SessionLifecycleHooks {
  /** After a normal exit (not user stop, inactivity timeout or spawn error), events flushed. */
  onExit(ctx: SessionExitContext): Promise<SessionExitDecision>;
  /**
   * After the final status is written, for every session this runner ended (or tried to: see
   * `written`). Not called when the runner lost its lease: the sweeper ended that session.
   */
  afterEnd(ctx: SessionEndContext): Promise<void>;
  /**
   * Once when the runner has registered and reaped, before it claims work. `projectIds`: the
   * projects it serves (`--projects`; empty: every project); the hooks act on those only.
   */
  onRunnerStart?(runner?: { projectIds: readonly number[] }): Promise<void>;
  /** On every heartbeat tick (slow backstop timer). */
  onTick?(): Promise<void>;
}

/** The runner's default verdict (no pipeline): core's judgeExit, the one exit judgement. */
function decideByExit(ctx: Pick<SessionExitContext, "exitCode" | "signal" | "result" | "turns">): SessionExitDecision {
  const v = judgeExit({ exitCode: ctx.exitCode, signal: ctx.signal, turns: ctx.turns, result: ctx.result ?? null });
  return v.ok ? { status: "completed", reason: "completed" } : { status: "failed", reason: v.reason, message: v.message };
}

export const defaultLifecycleHooks: SessionLifecycleHooks = {
  async onExit(ctx) {
    return decideByExit(ctx);
  },
  async afterEnd() {},
};
