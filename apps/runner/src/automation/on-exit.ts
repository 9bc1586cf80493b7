// onExit: the verdict on an agent that exited by itself. The runtime's words first (error result,
// zero turns, rate limit), then the worktree (uncommitted changes; for a mergemaster, unresolved
// conflicts and conflict markers), then the project's gates. Everything lands in the report.
import type { EndReason } from "@drover/core/automation/end-reasons";
import { judgeExit } from "@drover/core/automation/exit-judgement";
import type { SessionExitContext, SessionExitDecision } from "../runner/lifecycle.ts";
import { gateFailureText, runGates, type GateReport } from "./gates.ts";
import { uncommittedFiles } from "./git.ts";
import { sealMergeWorktree } from "./merge.ts";
import { rosterConfig } from "../runner/roster.ts";
import { gatesFor, gateTimeoutSecs } from "./settings.ts";
import { mergeTargetFor } from "./target.ts";

export interface CompletionReport {
  passed: boolean;
  verdict?: { reason: string; message: string };
  uncommitted?: string[];
  conflicts?: string[];
  gates?: GateReport["gates"];
  rateLimitResetsAt?: string | null;
}

const fail = (reason: EndReason, message: string, report: CompletionReport): SessionExitDecision => ({
  status: "failed",
  reason,
  message,
  report: { ...report, passed: false, verdict: { reason, message } },
});

export async function pipelineOnExit(ctx: SessionExitContext): Promise<SessionExitDecision> {
  const { session, db } = ctx;
  const hard = await db.sessionEvent.findFirst({
    where: { sessionId: session.id, kind: "rate_limit", payload: { path: ["level"], equals: "hard" } },
    orderBy: { seq: "desc" },
  });
  const resetsAt = ((hard?.payload ?? {}) as { resetsAt?: string }).resetsAt ?? null;
  const verdict = judgeExit({
    exitCode: ctx.exitCode,
    signal: ctx.signal,
    turns: ctx.turns,
    result: ctx.result ?? null,
    hardRateLimit: hard ? { resetsAt: resetsAt ?? undefined } : null,
  });
  if (!verdict.ok) {
    await ctx.emit({ kind: "status", text: `Exit judged failed (${verdict.reason}): ${verdict.message}` });
    return fail(verdict.reason, verdict.message, { passed: false, rateLimitResetsAt: resetsAt });
  }
  if (session.agent.stage === "other") return { status: "completed", reason: "completed", report: { passed: true } };

  const cfg = rosterConfig(session.project); // gates run from the parsed roster text, not the row's JSON
  if (session.stage === "mergemaster") {
    // The mergemaster works in the merge worktree; whatever it left is sealed into one commit there.
    const target = { ...(await mergeTargetFor(db, session.story, session.project)), worktreePath: ctx.worktreePath };
    const sealed = await sealMergeWorktree(target);
    if (!sealed.ok) {
      await ctx.emit({ kind: "status", text: `Merge worktree not ready: ${sealed.reason}` });
      return fail("merge_conflict", sealed.reason, { passed: false, conflicts: sealed.conflicts });
    }
  } else {
    const dirty = await uncommittedFiles(ctx.worktreePath);
    if (dirty.length) {
      const message = `uncommitted changes: ${dirty.join(", ")}`;
      await ctx.emit({ kind: "status", text: `The agent left ${message}` });
      return fail("uncommitted_changes", `${message}. Commit your work (or remove the files) before finishing.`, { passed: false, uncommitted: dirty });
    }
  }

  const gates = gatesFor(cfg, ctx.worktreePath);
  if (gates.length === 0) return { status: "completed", reason: "completed", report: { passed: true, gates: [] } };
  await ctx.emit({ kind: "status", text: `Running ${gates.length} gate(s): ${gates.join("; ")}` });
  const report = await runGates({ cwd: ctx.worktreePath, gates, timeoutSecs: gateTimeoutSecs(cfg), emit: ctx.emit, sandbox: cfg });
  if (!report.passed) return fail("gate_failed", gateFailureText(report, gateTimeoutSecs(cfg)), { passed: false, gates: report.gates });
  return { status: "completed", reason: "completed", report: { passed: true, gates: report.gates } };
}
