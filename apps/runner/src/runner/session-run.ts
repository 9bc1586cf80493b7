// Supervises one claimed session: worktree, setup, spawn (own process group, argv, allow-listed
// env, prompt on stdin), line-by-line output into the event log, inactivity timeout and stop,
// one fresh retry when the runtime cannot resume, then the final status via the lifecycle hooks.
import type { EndReason, StopReason } from "@drover/core/automation/end-reasons";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { execa } from "execa";
import { badRequest, DomainError } from "@drover/core/errors";
import { getRuntimeAdapter } from "@drover/core/runtimes/index";
import type { AgentSpec, NormalizedEvent, RuntimeAdapter } from "@drover/core/runtimes/types";
import type { Db } from "@drover/db";
import { recordEstimatedCost } from "@drover/db/services/costs";
import type { Logger } from "pino";
import { buildAgentEnv } from "./environment.ts";
import { type EventBudget, SessionEventLog } from "./event-log.ts";
import type { Guard } from "./guard.ts";
import type { SessionLifecycleHooks, SessionRow } from "./lifecycle.ts";
import type { RunnerOptions } from "./options.ts";
import { killGroup, waitGroupGone } from "./process-group.ts";
import { logProjectEvent, type ProjectEventInput } from "@drover/db/services/events";
import { rosterAgent, rosterConfig } from "./roster.ts";
import { endRun, recordAttempt, scheduleResume, type Owner } from "@drover/db/sessions/index";
import { copyFiles, runSetup, SetupError } from "./setup.ts";
import { containedIn, runtimeStateDir } from "./state-paths.ts";
import { branchForDir, storyDirName, worktreeRoot } from "@drover/core/pipeline/workspace";
import { templateVars } from "@drover/core/prompts/template";
import { branchHead, ensureWorktree, WorktreeError } from "./worktree.ts";

export type { StopReason };

interface End {
  status: "completed" | "failed" | "stopped" | "interrupted";
  reason: EndReason;
  message?: string;
  report?: unknown;
  exitCode?: number | null;
}

interface Exit {
  exitCode: number | null;
  signal: string | null;
  spawnError?: string;
}

export interface RunDeps {
  db: Db;
  log: Logger;
  runnerId: string;
  opts: RunnerOptions;
  hooks: SessionLifecycleHooks;
  guard: Guard;
  budget: EventBudget;
  sessionsDir: string;
  /** Root of the runtimes' conversation state (see stateDir in runOnce). */
  stateRoot: string;
}

const SETUP_MARKER = "drover-setup-done";

export class SessionRun {
  stopReason: StopReason | undefined;
  pgid: number | undefined;
  /** Set while the shutdown deadline runs: final writes stop retrying after it. */
  deadline: number | undefined;
  private events!: SessionEventLog;
  private worktreeRecorded: Promise<unknown> | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private exited = false;
  private readonly log: Logger;

  constructor(
    private readonly deps: RunDeps,
    readonly id: number,
    readonly attempt: number,
  ) {
    this.log = deps.log.child({ sessionId: id, attempt });
  }

  /** Asks the agent to go: SIGTERM to its group, SIGKILL after the grace period. */
  requestStop(reason: StopReason): void {
    if (this.stopReason && this.stopReason !== "lease_lost") return;
    this.stopReason ??= reason;
    if (reason === "lease_lost") this.stopReason = reason;
    this.log.info({ reason }, "stopping session");
    this.signalGroup();
  }

  private signalGroup(): void {
    if (this.pgid === undefined || this.exited) return;
    killGroup(this.pgid, "SIGTERM");
    clearTimeout(this.killTimer);
    const pgid = this.pgid;
    this.killTimer = setTimeout(() => killGroup(pgid, "SIGKILL"), this.deps.opts.graceSecs * 1000);
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
    await this.finish(session, end, wtPath);
  }

  private async execute(session: SessionRow, setWt: (p: string) => void): Promise<End> {
    const { db, opts } = this.deps;
    // Commands come from the roster text, parsed again here (see roster.ts), not from the rows' JSON.
    const roster = rosterConfig(session.project);
    const agentSpecFromRoster = rosterAgent(session.project, session.agent.name, roster);
    if (agentSpecFromRoster.runtime !== session.runtime) {
      throw badRequest(
        `Agent ${session.agent.name} has runtime "${agentSpecFromRoster.runtime}" in the roster but the session was made for "${session.runtime}": start it again`,
      );
    }
    const repoPath = session.project.repoPath;
    const root = worktreeRoot(repoPath, roster.worktree_root);
    const name = storyDirName(session.story.number, session.story.slug);
    const branch = session.branch ?? branchForDir(name);
    const baseBranch = session.baseBranch ?? session.project.baseBranch;
    const wt = await ensureWorktree({ repoPath, root, path: session.worktreePath ?? path.join(root, name), branch, baseBranch });
    setWt(wt.path);
    this.emit({ kind: "status", text: `${wt.created ? "Created" : "Reusing"} worktree ${wt.path} on branch ${branch}` });
    if (session.worktreePath !== wt.path || session.branch !== branch || session.baseBranch !== baseBranch) {
      // Written while the agent starts (run() awaits it once the agent ended): not on the start path.
      this.worktreeRecorded = recordAttempt(db, this.owner(), { worktreePath: wt.path, branch, baseBranch });
      this.worktreeRecorded.catch(() => {}); // an early failure ends the session anyway
    }

    const sessionDir = path.join(this.deps.sessionsDir, String(this.id));
    // Conversations the CLIs keep (for resume) live per project and agent, not per session or
    // runner, so a later session, or a restarted runner on this host, can resume them.
    const stateDir = runtimeStateDir(this.deps.stateRoot, session.projectId, session.agent.name);
    const home = path.join(sessionDir, "home");
    const tmp = path.join(sessionDir, "tmp");
    fs.mkdirSync(home, { recursive: true });
    fs.mkdirSync(tmp, { recursive: true });
    const drover = {
      DROVER_SESSION_ID: String(this.id),
      DROVER_ATTEMPT: String(this.attempt),
      DROVER_STORY_NUMBER: String(session.story.number),
      DROVER_AGENT: session.agent.name,
      DROVER_WORKTREE: wt.path,
      DROVER_BRANCH: branch,
      DROVER_BASE_BRANCH: baseBranch,
    };

    const marker = path.join(wt.gitDir, SETUP_MARKER);
    if (!fs.existsSync(marker)) {
      copyFiles(repoPath, wt.path, roster.copy_files, (e) => this.emit(e));
      await runSetup({
        wt: wt.path,
        components: roster.component,
        env: buildAgentEnv({ home, tmp, drover }),
        timeoutMs: opts.setupTimeoutSecs * 1000,
        emit: (e) => this.emit(e),
      });
      fs.writeFileSync(marker, new Date().toISOString());
    }
    if (this.stopReason) return this.endForStop({ exitCode: null, signal: null });

    const adapter = getRuntimeAdapter(session.runtime);
    const spec: AgentSpec = {
      ...agentSpecFromRoster,
      name: session.agent.name,
      runtime: session.runtime,
      model: session.model ?? session.agent.model ?? undefined,
    };
    // Only the variables a roster may use (config load refuses any other placeholder).
    const vars = templateVars({
      storyNumber: session.story.number,
      storyTitle: session.story.title,
      agentName: session.agent.name,
      worktreePath: wt.path,
      branch,
      baseBranch,
    });
    const baseBefore = await branchHead(repoPath, baseBranch);
    const run = (prompt: string, resumeId?: string) =>
      this.runOnce(adapter, spec, { prompt, resumeId, cwd: wt.path, sessionDir, stateDir, home, tmp, drover, vars });

    let exit = await run(session.prompt ?? "", session.resumeRuntimeSessionId ?? undefined);
    const res = this.events.lastResult;
    if (!exit.spawnError && !this.stopReason && res?.outcome === "resume_not_found" && session.resumeRuntimeSessionId) {
      this.emit({ kind: "status", text: `The runtime could not resume session ${session.resumeRuntimeSessionId}; starting fresh with the full prompt` });
      this.events.resetRuntimeSessionId();
      this.events.lastResult = undefined;
      await recordAttempt(db, this.owner(), { resumeRuntimeSessionId: null });
      exit = await run(session.freshPrompt ?? session.prompt ?? "");
    }

    const baseAfter = await branchHead(repoPath, baseBranch);
    if (baseBefore && baseAfter && baseBefore !== baseAfter) {
      await this.projectEvent(
        session,
        "base_branch_moved",
        `${session.agent.name}: ${baseBranch} moved from ${baseBefore.slice(0, 10)} to ${baseAfter.slice(0, 10)} in the main checkout while session ${this.id} ran (agents must commit in their worktree)`,
        { before: baseBefore, after: baseAfter },
      ).catch(() => {});
    }

    if (exit.spawnError) return { status: "failed", reason: "spawn_error", message: exit.spawnError };
    if (this.stopReason) return this.endForStop(exit);

    await this.events.drain();
    const decision = await this.deps.hooks.onExit({
      db,
      runnerId: this.deps.runnerId,
      session,
      worktreePath: wt.path,
      exitCode: exit.exitCode,
      signal: exit.signal,
      result: this.events.lastResult,
      turns: this.events.stats.turns,
      emit: async (ev) => {
        this.emit(ev);
        await this.events.drain();
      },
    });
    return { ...decision, exitCode: exit.exitCode };
  }

  private endForStop(exit: Exit): End {
    switch (this.stopReason) {
      case "user_stop":
        return { status: "stopped", reason: "user_stop", message: "Stopped on request", exitCode: exit.exitCode };
      case "inactivity_timeout":
        return {
          status: "failed",
          reason: "inactivity_timeout",
          message: `No output for ${this.inactivitySecs} s: the agent's process group was killed`,
          exitCode: exit.exitCode,
        };
      case "runner_shutdown":
        return { status: "interrupted", reason: "runner_shutdown", message: "The runner shut down while the agent ran", exitCode: exit.exitCode };
      default:
        return { status: "interrupted", reason: "lease_lost", message: "This runner lost its lease on the session", exitCode: exit.exitCode };
    }
  }

  private inactivitySecs = 0;

  private async runOnce(
    adapter: RuntimeAdapter,
    spec: AgentSpec,
    r: {
      prompt: string;
      resumeId?: string;
      cwd: string;
      sessionDir: string;
      stateDir: string;
      home: string;
      tmp: string;
      drover: Record<string, string>;
      vars: Record<string, string>;
    },
  ): Promise<Exit> {
    const req = { agent: spec, prompt: r.prompt, resumeId: r.resumeId, cwd: r.cwd, sessionDir: r.sessionDir, stateDir: r.stateDir, vars: r.vars };
    const plan = adapter.plan(req);
    for (const [file, content] of Object.entries(plan.files ?? {})) {
      const real = containedIn([r.stateDir, r.sessionDir], file);
      fs.mkdirSync(path.dirname(real), { recursive: true });
      fs.writeFileSync(real, content);
    }
    const env = buildAgentEnv({ home: r.home, tmp: r.tmp, drover: r.drover, agentEnv: spec.env, planEnv: plan.env });
    const parser = adapter.parser(req); // the request carries limits the parser enforces (Codex max_turns)
    this.emit({
      kind: "status",
      text: `$ ${[plan.file, ...plan.args].map((a) => (a.length > 200 ? `${a.slice(0, 200)}…` : a)).join(" ")}${r.resumeId ? ` (resuming ${r.resumeId})` : ""}`,
    });

    const sub = execa(plan.file, plan.args, {
      cwd: r.cwd,
      env,
      extendEnv: false,
      detached: true, // its own process group
      cleanup: false, // the guard, not an exit hook, owns killing it
      buffer: false,
      reject: false,
      stdin: plan.stdin !== undefined ? "pipe" : "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    void sub.catch(() => {});
    const child = sub as unknown as ChildProcess; // execa's subprocess is a ChildProcess at runtime
    const spawnErr = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      child.once("spawn", () => resolve(undefined));
      child.once("error", (e) => resolve(e as NodeJS.ErrnoException));
    });
    if (spawnErr || sub.pid === undefined) {
      const why = spawnErr?.code === "ENOENT" ? "not found" : spawnErr?.code === "EACCES" ? "permission denied" : (spawnErr?.message ?? "no pid");
      const hint = plan.installHint
        ? `install it with \`npm install -g ${plan.installHint}\` (or add it to the runner's PATH)`
        : `install it, put it on the runner's PATH, or fix agent "${spec.name}" in .drover/project.toml`;
      const message = `Could not start "${plan.file}" for agent ${spec.name}: ${why}; ${hint}`;
      this.emit({ kind: "error", text: message, fatal: true });
      return { exitCode: null, signal: null, spawnError: message };
    }

    const pgid = sub.pid;
    this.pgid = pgid;
    this.exited = false;
    this.deps.guard.add(pgid);
    const startedAt = new Date();
    const recordPid = recordAttempt(this.deps.db, this.owner(), { pid: pgid, pgid, processStartedAt: startedAt }).catch((err) =>
      this.log.warn({ err: (err as Error).message }, "could not record the agent's pid"),
    );
    if (this.stopReason) this.signalGroup();

    sub.stdin?.on("error", () => {}); // an agent that never reads its stdin
    if (plan.stdin !== undefined) sub.stdin?.end(plan.stdin);

    let lastOutput = Date.now();
    let paused = false; // by the event log's back-pressure: the agent waits on us, it is not idle
    this.inactivitySecs = Number(spec.inactivity_timeout_secs ?? this.deps.opts.defaultInactivitySecs);
    const limitMs = this.inactivitySecs * 1000;
    const idle = setInterval(
      () => {
        if (!this.exited && !paused && Date.now() - lastOutput > limitMs) this.requestStop("inactivity_timeout");
      },
      Math.min(1000, Math.max(100, limitMs / 4)),
    );

    const out = readline.createInterface({ input: sub.stdout!, crlfDelay: Infinity });
    const err = readline.createInterface({ input: sub.stderr!, crlfDelay: Infinity });
    // Back-pressure: while the log's write queue is full the pipes are not read, so the agent
    // blocks on its writes instead of the runner holding (or dropping) its output.
    this.events.setProducer({
      pause: () => {
        paused = true;
        out.pause();
        err.pause();
      },
      resume: () => {
        paused = false;
        lastOutput = Date.now(); // waiting on the database is not the agent's inactivity
        out.resume();
        err.resume();
      },
    });
    out.on("line", (line) => {
      lastOutput = Date.now();
      let evs: NormalizedEvent[];
      try {
        evs = parser.line(line);
      } catch (e) {
        evs = [{ kind: "error", text: `Could not parse a line of output: ${(e as Error).message}`, raw: line }];
      }
      this.events.pushOutput(evs, Buffer.byteLength(line) + 1);
      // A fatal error from the adapter (Codex past max_turns or unable to reach its server) means
      // the run is over though the CLI keeps going: stop its group; the result is already emitted.
      if (evs.some((ev) => ev.kind === "error" && ev.fatal)) this.signalGroup();
    });
    err.on("line", (line) => {
      lastOutput = Date.now();
      this.events.pushOutput([{ kind: "stderr", text: line, raw: line }], Buffer.byteLength(line) + 1);
      parser.stderr?.(line); // the adapter quotes the CLI's own words when it synthesizes a result
    });
    const closed = Promise.all([new Promise((res) => out.once("close", res)), new Promise((res) => err.once("close", res))]);

    const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve([child.exitCode, child.signalCode]);
      else child.once("exit", (code, sig) => resolve([code, sig]));
    });
    this.exited = true;
    clearInterval(idle);
    // Whatever the agent left behind in its group goes with it (and releases the pipes).
    killGroup(pgid, "SIGKILL");
    // What is left in the pipes is bounded by their buffers: read it all, without pausing.
    this.events.setProducer(undefined);
    await Promise.race([closed, new Promise((res) => setTimeout(res, 5_000))]);
    out.close();
    err.close();
    clearTimeout(this.killTimer);
    await waitGroupGone(pgid, 2_000);
    this.deps.guard.remove(pgid);
    for (const ev of parser.end({ exitCode, signal })) this.emit(ev);
    this.events.reportOutputDropped();
    await recordPid;
    await recordAttempt(this.deps.db, this.owner(), { exitCode }).catch(() => {});
    this.log.info({ exitCode, signal }, "agent process exited");
    return { exitCode, signal };
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

  /** Flush every event, then write the final status only if this attempt still owns the session. */
  private async finish(session: SessionRow, end: End, wtPath: string): Promise<void> {
    const { db } = this.deps;
    if (end.status !== "interrupted" || end.reason !== "lease_lost") {
      this.emit({ kind: "status", status: end.status, text: `Session ${end.status} (${end.reason})${end.message ? `: ${end.message}` : ""}` });
    }
    await this.drainBounded();
    if (end.reason === "lease_lost") {
      this.log.warn("lease lost: not writing a final status");
      return;
    }
    // Runtimes that report tokens but no cost (Gemini, Codex) get a cost from the price table,
    // before the final status, so whoever sees the session ended sees its cost too.
    await recordEstimatedCost(db, this.id).catch((err) => this.log.warn({ err: (err as Error).message }, "could not estimate the session's cost"));
    let written = false;
    for (let delay = 200; ; delay = Math.min(delay * 2, 5_000)) {
      try {
        written = await endRun(db, this.owner(), end);
        break;
      } catch (err) {
        if (this.deadline && Date.now() > this.deadline) {
          this.log.error({ err: (err as Error).message }, "could not write the final status before the shutdown deadline");
          return;
        }
        this.log.warn({ err: (err as Error).message }, "final status write failed; retrying");
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    if (written) {
      await this.projectEvent(
        session,
        `session_${end.status}`,
        `${session.agent.name} ${end.status} on story ${session.story.number} (session ${this.id}, ${end.reason})${end.message ? `: ${end.message.slice(0, 500)}` : ""}`,
        { reason: end.reason, worktreePath: wtPath },
      ).catch(() => {});
      if (end.reason === "runner_shutdown" && this.deps.opts.recoverInterrupted) {
        await scheduleResume(db, this.id, "runner shutdown").catch(() => false);
      }
    } else {
      this.log.warn("the session was taken over by a newer attempt; final status not written");
    }
    try {
      await this.deps.hooks.afterEnd({ db, runnerId: this.deps.runnerId, session, status: end.status, reason: end.reason, written });
    } catch (err) {
      this.log.error({ err }, "afterEnd hook failed");
    }
  }

  private async drainBounded(): Promise<void> {
    if (!this.deadline) return this.events.drain();
    const left = this.deadline - Date.now();
    await Promise.race([this.events.drain(), new Promise((r) => setTimeout(r, Math.max(0, left)))]);
  }
}
