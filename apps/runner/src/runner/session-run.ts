// Supervises one claimed session: prepares its workspace (session-workspace.ts), runs the agent
// (agent-process.ts), starts it once more fresh when the runtime cannot resume the conversation,
// hands the exit to the lifecycle hooks, and ends it (session-end.ts).
import type { StopReason } from "@drover/core/automation/end-reasons";
import { DomainError } from "@drover/core/errors";
import { templateVars } from "@drover/core/prompts/template";
import { getRuntimeAdapter } from "@drover/core/runtimes/index";
import type { AgentSpec, NormalizedEvent, RuntimeAdapter } from "@drover/core/runtimes/types";
import type { Db } from "@drover/db";
import { logProjectEvent, type ProjectEventInput } from "@drover/db/services/events";
import { recordAttempt, type Owner } from "@drover/db/sessions/index";
import type { Logger } from "pino";
import { AgentProcess, type AgentRunRequest } from "./agent-process.ts";
import { type AgentCredentials, agentCredentials } from "./agent-credentials.ts";
import { maskDeep, secretMask } from "@drover/core/runtimes/secret-mask";
import { type EventBudget, SessionEventLog } from "./event-log.ts";
import type { Guard } from "./guard.ts";
import type { SessionLifecycleHooks, SessionRow } from "./lifecycle.ts";
import type { RunnerOptions } from "./options.ts";
import { captureDiffs, type DiffCapture } from "./capture-diffs.ts";
import { type End, endForStop, finishSession } from "./session-end.ts";
import { prepareWorkspace, type Workspace } from "./session-workspace.ts";
import { SetupError } from "./setup.ts";
import type { RunnerMcp } from "./mcp-endpoint.ts";
import type { ProjectRepos } from "./project-repos.ts";
import { branchHead, WorktreeError } from "./worktree.ts";
import { StartSteps } from "./start-steps.ts";

export type { StopReason };

export interface RunDeps {
  db: Db;
  log: Logger;
  runnerId: string;
  opts: RunnerOptions;
  hooks: SessionLifecycleHooks;
  guard: Guard;
  budget: EventBudget;
  sessionsDir: string;
  /** Root of the runtimes' conversation state (see runtimeStateDir). */
  stateRoot: string;
  /** The runner's environment: agents' credentials come from it (agent-credentials.ts). */
  runnerEnv: NodeJS.ProcessEnv;
  /** Drover's MCP endpoint (mcp-endpoint.ts); absent, agents get no Drover tools. */
  mcp?: RunnerMcp;
  /** Where projects' repositories are on this runner (remote projects' clones). */
  repos: ProjectRepos;
}

export class SessionRun {
  stopReason: StopReason | undefined;
  /** Set while the shutdown deadline runs: final writes stop retrying after it. */
  deadline: number | undefined;
  private events!: SessionEventLog;
  private process: AgentProcess | undefined;
  private worktreeRecorded: Promise<unknown> | undefined;
  /** Set once the worktree is ready: what to read the session's diff from when it ends. */
  private diffCapture: DiffCapture | undefined;
  private readonly log: Logger;

  constructor(
    private readonly deps: RunDeps,
    readonly id: number,
    readonly attempt: number,
    /** Timing of the way to the agent's spawn (debug log); the runner's claim marked its part. */
    private readonly steps = new StartSteps(),
  ) {
    this.log = deps.log.child({ sessionId: id, attempt });
  }

  /** Asks the agent to go: SIGTERM to its group, SIGKILL after the grace period. */
  requestStop(reason: StopReason): void {
    if (this.stopReason && this.stopReason !== "lease_lost") return;
    this.stopReason ??= reason;
    if (reason === "lease_lost") this.stopReason = reason;
    this.log.info({ reason }, "stopping session");
    this.process?.signal();
  }

  private emit(ev: NormalizedEvent): void {
    this.events.push(ev);
  }

  async run(): Promise<void> {
    const { db } = this.deps;
    // Independent reads run together, and the activity entry is written while the agent starts
    // (awaited before the final status, so "started" still precedes "completed"): each round trip
    // here is on the pending → process start path.
    const [session, last] = await Promise.all([
      db.agentSession.findUniqueOrThrow({ where: { id: this.id }, include: { story: true, agent: true, project: true } }) as Promise<SessionRow>,
      db.sessionEvent.aggregate({ where: { sessionId: this.id }, _max: { seq: true } }),
    ]);
    this.steps.mark("load");
    this.events = new SessionEventLog(
      db,
      this.id,
      { attempt: this.attempt, runnerId: this.deps.runnerId },
      (last._max.seq ?? 0) + 1,
      this.deps.budget,
      this.log,
      {
        maxQueueBytes: this.deps.opts.maxSessionQueueBytes,
        maxOutputLines: this.deps.opts.maxOutputLines,
        maxOutputBytes: this.deps.opts.maxOutputBytes,
      },
    );
    this.emit({ kind: "status", status: "running", text: `Claimed by runner ${this.deps.runnerId} (attempt ${this.attempt})` });
    this.steps.mark("event log");
    const started = this.projectEvent(session, "session_started", `${session.agent.name} started on story ${session.story.number} (session ${this.id})`).catch(
      () => {},
    );

    let end: End;
    let wtPath = session.worktreePath ?? "";
    try {
      const r = await this.execute(session, (p) => (wtPath = p));
      await this.worktreeRecorded;
      end = r;
    } catch (e) {
      const err = e as Error;
      const reason =
        e instanceof WorktreeError ? e.reason : e instanceof SetupError ? "setup_failed" : e instanceof DomainError ? "bad_config" : "runner_error";
      if (reason === "runner_error") this.log.error({ err }, "session failed inside the runner");
      end = { status: "failed", reason, message: err.message };
      if (reason === "path_escape") {
        await this.projectEvent(session, "path_escape", `${session.agent.name}: refused to start session ${this.id}: ${err.message}`).catch(() => {});
      }
    }
    await started;
    // Stored before the final status, so whoever sees the session end sees its diff.
    if (this.diffCapture) await captureDiffs(db, this.diffCapture, this.log);
    // Gate output and a failure's words can quote what the agent printed: masked like its events.
    if (this.events.mask) end = maskDeep(end, this.events.mask);
    await finishSession({
      db,
      log: this.log,
      runnerId: this.deps.runnerId,
      owner: this.owner(),
      session,
      end,
      worktreePath: wtPath,
      events: this.events,
      hooks: this.deps.hooks,
      recoverInterrupted: this.deps.opts.recoverInterrupted,
      deadline: this.deadline,
      projectEvent: (kind, message, payload) => this.projectEvent(session, kind, message, payload as ProjectEventInput["payload"]),
    });
  }

  private async execute(session: SessionRow, setWt: (p: string) => void): Promise<End> {
    const { db, opts } = this.deps;
    const ws = await prepareWorkspace({
      session,
      sessionId: this.id,
      attempt: this.attempt,
      sessionsDir: this.deps.sessionsDir,
      stateRoot: this.deps.stateRoot,
      repos: this.deps.repos,
      db,
      activity: (kind, message, payload) => this.projectEvent(session, kind, message, payload as ProjectEventInput["payload"]),
      setupTimeoutSecs: opts.setupTimeoutSecs,
      emit: (e) => this.emit(e),
      steps: this.steps,
      onWorktree: (w) => {
        setWt(w.path);
        if (session.worktreePath !== w.path || session.branch !== w.branch || session.baseBranch !== w.baseBranch) {
          // Written while the agent starts (run() awaits it once the agent ended): not on the start path.
          this.worktreeRecorded = recordAttempt(db, this.owner(), { worktreePath: w.path, branch: w.branch, baseBranch: w.baseBranch });
          this.worktreeRecorded.catch(() => {}); // an early failure ends the session anyway
        }
      },
    });
    this.steps.mark("workspace");
    const proc = new AgentProcess({
      db,
      log: this.log,
      guard: this.deps.guard,
      events: this.events,
      owner: this.owner(),
      graceSecs: opts.graceSecs,
      defaultInactivitySecs: opts.defaultInactivitySecs,
      onInactive: () => this.requestStop("inactivity_timeout"),
      stopping: () => this.stopReason !== undefined,
    });
    this.process = proc;
    if (this.stopReason) return endForStop(this.stopReason, { exitCode: null, signal: null }, proc.inactivitySecs);

    const adapter = getRuntimeAdapter(session.runtime);
    const credentials = await agentCredentials(db, session.projectId, ws.agent, this.deps.runnerEnv);
    // The session's MCP token: valid from here until the agent has exited (revoked below).
    const mcp = this.deps.mcp && ws.agent.mcp !== false ? this.deps.mcp : undefined;
    const mcpToken = mcp?.tokens.issue(this.id);
    this.events.mask = secretMask([...credentials.sensitive, ...(mcpToken ? [mcpToken] : [])]);
    this.steps.mark("credentials");
    try {
      return await this.runAgent(
        session,
        ws,
        proc,
        adapter,
        credentials,
        mcp && mcpToken ? { url: mcp.url, token: mcpToken, hostPort: mcp.hostPort } : undefined,
      );
    } finally {
      mcp?.tokens.revoke(this.id);
    }
  }

  private async runAgent(
    session: SessionRow,
    ws: Workspace,
    proc: AgentProcess,
    adapter: RuntimeAdapter,
    credentials: AgentCredentials,
    mcp: AgentRunRequest["mcp"],
  ): Promise<End> {
    const { db } = this.deps;
    const spec: AgentSpec = {
      ...ws.agent,
      name: session.agent.name,
      runtime: session.runtime,
      model: session.model ?? session.agent.model ?? undefined,
      env: credentials.env,
    };
    // Only the variables a roster may use (config load refuses any other placeholder).
    const vars = templateVars({
      storyNumber: session.story.number,
      storyTitle: session.story.title,
      agentName: session.agent.name,
      worktreePath: ws.worktreePath,
      branch: ws.branch,
      baseBranch: ws.baseBranch,
    });
    const [baseBefore, headBefore] = await Promise.all([branchHead(ws.repoPath, ws.baseBranch), branchHead(ws.repoPath, ws.branch)]);
    this.steps.mark("branch heads");
    this.diffCapture = { repoPath: ws.repoPath, storyId: session.storyId, sessionId: this.id, branch: ws.branch, baseBranch: ws.baseBranch, headBefore };
    const run = (prompt: string, resumeId?: string) =>
      proc.run({
        adapter,
        spec,
        prompt,
        resumeId,
        cwd: ws.worktreePath,
        sessionDir: ws.sessionDir,
        stateDir: ws.stateDir,
        home: ws.home,
        tmp: ws.tmp,
        drover: ws.drover,
        vars,
        runnerEnv: this.deps.runnerEnv,
        writableDirs: ws.gitDirs,
        credentials,
        sandboxSettings: ws.roster,
        mcp,
        steps: this.steps,
      });

    let exit = await run(session.prompt ?? "", session.resumeRuntimeSessionId ?? undefined);
    const res = this.events.lastResult;
    if (!exit.spawnError && !this.stopReason && res?.outcome === "resume_not_found" && session.resumeRuntimeSessionId) {
      this.emit({ kind: "status", text: `The runtime could not resume session ${session.resumeRuntimeSessionId}; starting fresh with the full prompt` });
      this.events.resetRuntimeSessionId();
      this.events.lastResult = undefined;
      await recordAttempt(db, this.owner(), { resumeRuntimeSessionId: null });
      exit = await run(session.freshPrompt ?? session.prompt ?? "");
    }

    const baseAfter = await branchHead(ws.repoPath, ws.baseBranch);
    if (baseBefore && baseAfter && baseBefore !== baseAfter) {
      await this.projectEvent(
        session,
        "base_branch_moved",
        `${session.agent.name}: ${ws.baseBranch} moved from ${baseBefore.slice(0, 10)} to ${baseAfter.slice(0, 10)} in the main checkout while session ${this.id} ran (agents must commit in their worktree)`,
        { before: baseBefore, after: baseAfter },
      ).catch(() => {});
    }

    if (exit.spawnError) return { status: "failed", reason: "spawn_error", message: exit.spawnError };
    // A mergemaster's merge branch goes to the remote only sealed (on a completed exit): other hosts take it for the merge.
    const mergemaster = session.stage === "mergemaster";
    if (this.stopReason) {
      if (!mergemaster) await this.pushStoryBranch(session, ws.branch);
      return endForStop(this.stopReason, exit, proc.inactivitySecs);
    }

    await this.events.drain();
    const decision = await this.deps.hooks.onExit({
      db,
      runnerId: this.deps.runnerId,
      session,
      worktreePath: ws.worktreePath,
      exitCode: exit.exitCode,
      signal: exit.signal,
      result: this.events.lastResult,
      turns: this.events.stats.turns,
      emit: async (ev) => {
        this.emit(ev);
        await this.events.drain();
      },
    });
    // After onExit: a mergemaster's work is sealed into its commit there, and goes to the remote with the rest.
    if (!mergemaster || decision.status === "completed") await this.pushStoryBranch(session, ws.branch);
    return { ...decision, exitCode: exit.exitCode };
  }

  /** A remote project's story branch goes to the remote after every session that committed, so another host can go on. */
  private async pushStoryBranch(session: SessionRow, branch: string): Promise<void> {
    const pushed = await this.deps.repos.pushBranch(session.project, branch).catch((e: Error) => ({ ok: false as const, moved: false, message: e.message }));
    if (!pushed) return;
    if (pushed.ok) {
      this.emit({ kind: "status", text: `Pushed ${branch} to the remote` });
      return;
    }
    this.emit({ kind: "status", text: `Could not push ${branch} to the remote: ${pushed.message}` });
    await this.projectEvent(session, "branch_push_failed", `${session.agent.name}: ${branch} was not pushed to the remote: ${pushed.message}`).catch(() => {});
  }

  private owner(): Owner {
    return { id: this.id, attempt: this.attempt, runnerId: this.deps.runnerId };
  }

  private async projectEvent(session: SessionRow, kind: string, message: string, payload?: ProjectEventInput["payload"]): Promise<void> {
    await logProjectEvent(this.deps.db, {
      projectId: session.projectId,
      storyId: session.storyId,
      sessionId: this.id,
      agentName: session.agent.name,
      kind,
      message,
      payload,
      actor: { kind: "runner", runnerId: this.deps.runnerId },
    });
  }
}
