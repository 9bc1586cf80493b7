// One run of an agent's CLI: spawn in its own process group (argv, allow-listed env, prompt on
// stdin), its stdout parsed line by line into the event log with back-pressure, stderr kept as
// stderr events, an inactivity timeout, and a stop that escalates SIGTERM → SIGKILL after the grace
// period. Whatever the agent leaves in its group dies with it.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { execa } from "execa";
import type { AgentSpec, NormalizedEvent, RuntimeAdapter } from "@drover/core/runtimes/types";
import type { Db } from "@drover/db";
import { recordAttempt, type Owner } from "@drover/db/sessions/index";
import type { Logger } from "pino";
import { buildAgentEnv } from "./environment.ts";
import { withGitIdentity } from "./git-identity.ts";
import type { SessionEventLog } from "./event-log.ts";
import type { Guard } from "./guard.ts";
import { killGroup, waitGroupGone } from "./process-group.ts";
import { containedIn } from "./state-paths.ts";
import { type AgentCredentials, describeCredentials, linkLogins, runnerHome } from "./agent-credentials.ts";
import { HiddenPathError } from "../sandbox/bubblewrap.ts";
import { agentSandbox, sandboxed } from "../sandbox/policy.ts";
import { onPath } from "../sandbox/program-mounts.ts";
import { refusalText } from "../sandbox/refusal-text.ts";
import { sandboxCommand, type SandboxedCommand } from "../sandbox/sandbox.ts";
import type { StartSteps } from "./start-steps.ts";

export interface Exit {
  exitCode: number | null;
  signal: string | null;
  spawnError?: string;
}

export interface AgentRunRequest {
  adapter: RuntimeAdapter;
  spec: AgentSpec;
  prompt: string;
  resumeId?: string;
  cwd: string;
  sessionDir: string;
  stateDir: string;
  home: string;
  tmp: string;
  drover: Record<string, string>;
  vars: Record<string, string>;
  /** The runner's environment: the allow-list's source and where login files are found. */
  runnerEnv: NodeJS.ProcessEnv;
  /** Outside the worktree, what a commit writes (the worktree's git dir and the repository's common git dir). */
  writableDirs: string[];
  /** Where the agent's credentials come from (agent-credentials.ts); `spec.env` already holds them. */
  credentials: AgentCredentials;
  /** The project's sandbox settings (roster `sandbox`, `network_allow`). */
  sandboxSettings: Parameters<typeof agentSandbox>[0];
  /** Drover's MCP endpoint and this session's token (mcp-endpoint.ts); its host:port joins the allowlist. */
  mcp?: { url: string; token: string; hostPort: string };
  /** Timing of the way to the spawn (start-steps.ts); logged once the agent started. */
  steps?: StartSteps;
}

export interface AgentProcessDeps {
  db: Db;
  log: Logger;
  guard: Guard;
  events: SessionEventLog;
  owner: Owner;
  graceSecs: number;
  defaultInactivitySecs: number;
  /** Asked when the agent was silent too long; the session decides (it records why it stopped). */
  onInactive: () => void;
  /** True once the session was asked to stop (a stop before the spawn is applied right after it). */
  stopping: () => boolean;
}

export class AgentProcess {
  pgid: number | undefined;
  /** Seconds of silence allowed for the current run (the stop message quotes it). */
  inactivitySecs = 0;
  private exited = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: AgentProcessDeps) {}

  /** SIGTERM to the agent's group, SIGKILL after the grace period. */
  signal(): void {
    if (this.pgid === undefined || this.exited) return;
    killGroup(this.pgid, "SIGTERM");
    clearTimeout(this.killTimer);
    const pgid = this.pgid;
    this.killTimer = setTimeout(() => killGroup(pgid, "SIGKILL"), this.deps.graceSecs * 1000);
  }

  /** The CLI wrapped in the run's sandbox (none when the project opted out); refusals become error events. */
  private async sandbox(
    r: AgentRunRequest,
    plan: { file: string; args: string[] },
    env: Record<string, string>,
    logins: string[],
    emit: (ev: NormalizedEvent) => void,
  ): Promise<{ boxed?: SandboxedCommand } | { spawnError: string }> {
    const { spec } = r;
    const sandbox = agentSandbox(r.sandboxSettings, {
      runtime: spec.runtime,
      env,
      agentAllow: [...((spec.network_allow as string[] | undefined) ?? []), ...(r.mcp ? [r.mcp.hostPort] : [])],
      worktree: r.cwd,
      sessionDir: r.sessionDir,
      stateDir: r.stateDir,
      logins,
    });
    // A CLI that is not installed is reported by the spawn below, as without a sandbox.
    if (!sandbox || !onPath(plan.file, env.PATH ?? "")) return {};
    try {
      const boxed = await sandboxCommand({
        ...sandbox,
        argv: [plan.file, ...plan.args],
        env,
        cwd: r.cwd,
        who: `agent ${spec.name}'s command`,
        onRefused: (host, port, direct) => emit({ kind: "error", text: `Sandbox ${refusalText(host, port, direct, `agent ${spec.name}'s`)}` }),
      });
      emit({ kind: "status", text: `Sandboxed; network allowlist: ${sandbox.allow.join(", ") || "(none)"}` });
      return { boxed };
    } catch (e) {
      const message = e instanceof HiddenPathError ? e.message : `Could not start agent ${spec.name} in its sandbox: ${(e as Error).message}`;
      emit({ kind: "error", text: message, fatal: true });
      return { spawnError: message };
    }
  }

  async run(r: AgentRunRequest): Promise<Exit> {
    const { events, log } = this.deps;
    const { adapter, spec } = r;
    const emit = (ev: NormalizedEvent) => events.push(ev);
    const req = {
      agent: spec,
      prompt: r.prompt,
      resumeId: r.resumeId,
      cwd: r.cwd,
      sessionDir: r.sessionDir,
      stateDir: r.stateDir,
      vars: r.vars,
      writableDirs: r.writableDirs,
      logins: r.credentials.logins,
      sandboxed: sandboxed(r.sandboxSettings),
      ...(r.mcp ? { mcp: { url: r.mcp.url, token: r.mcp.token } } : {}),
    };
    const plan = adapter.plan(req);
    for (const [file, content] of Object.entries(plan.files ?? {})) {
      const real = containedIn([r.stateDir, r.sessionDir], file);
      fs.mkdirSync(path.dirname(real), { recursive: true });
      fs.writeFileSync(real, content);
    }
    const linked = linkLogins(plan.links ?? {}, r.stateDir, r.runnerEnv);
    r.steps?.mark("plan, logins");
    const said = describeCredentials(r.credentials, linked);
    if (said) emit({ kind: "status", text: said });
    const env = await withGitIdentity(
      buildAgentEnv({ base: r.runnerEnv, home: r.home, tmp: r.tmp, drover: r.drover, agentEnv: spec.env, planEnv: plan.env }),
      r.cwd,
      spec.name,
    );
    r.steps?.mark("env (git identity)");
    const parser = adapter.parser(req); // the request carries limits the parser enforces (Codex max_turns)
    emit({
      kind: "status",
      text: `$ ${[plan.file, ...plan.args].map((a) => (a.length > 200 ? `${a.slice(0, 200)}…` : a)).join(" ")}${r.resumeId ? ` (resuming ${r.resumeId})` : ""}`,
    });

    const home = runnerHome(r.runnerEnv);
    const boxing = await this.sandbox(
      r,
      plan,
      env,
      linked.map((rel) => path.join(home, rel)),
      emit,
    );
    r.steps?.mark("sandbox");
    if ("spawnError" in boxing) return { exitCode: null, signal: null, spawnError: boxing.spawnError };
    const boxed = boxing.boxed;
    const sub = execa(boxed?.file ?? plan.file, boxed?.args ?? plan.args, {
      cwd: r.cwd,
      env: boxed?.env ?? env,
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
      await boxed?.close();
      const why = spawnErr?.code === "ENOENT" ? "not found" : spawnErr?.code === "EACCES" ? "permission denied" : (spawnErr?.message ?? "no pid");
      const hint = plan.installHint
        ? `install it with \`npm install -g ${plan.installHint}\` (or add it to the runner's PATH)`
        : `install it, put it on the runner's PATH, or fix agent "${spec.name}" in .drover/project.toml`;
      const message = `Could not start "${plan.file}" for agent ${spec.name}: ${why}; ${hint}`;
      emit({ kind: "error", text: message, fatal: true });
      return { exitCode: null, signal: null, spawnError: message };
    }

    r.steps?.mark("spawn");
    r.steps?.log(log, this.deps.owner.id);
    const pgid = sub.pid;
    this.pgid = pgid;
    this.exited = false;
    this.deps.guard.add(pgid);
    const startedAt = new Date();
    const recordPid = recordAttempt(this.deps.db, this.deps.owner, { pid: pgid, pgid, processStartedAt: startedAt }).catch((err) =>
      log.warn({ err: (err as Error).message }, "could not record the agent's pid"),
    );
    if (this.deps.stopping()) this.signal();

    sub.stdin?.on("error", () => {}); // an agent that never reads its stdin
    if (plan.stdin !== undefined) sub.stdin?.end(plan.stdin);

    let lastOutput = Date.now();
    let paused = false; // by the event log's back-pressure: the agent waits on us, it is not idle
    this.inactivitySecs = Number(spec.inactivity_timeout_secs ?? this.deps.defaultInactivitySecs);
    const limitMs = this.inactivitySecs * 1000;
    const idle = setInterval(
      () => {
        if (!this.exited && !paused && Date.now() - lastOutput > limitMs) this.deps.onInactive();
      },
      Math.min(1000, Math.max(100, limitMs / 4)),
    );

    const out = readline.createInterface({ input: sub.stdout!, crlfDelay: Infinity });
    const err = readline.createInterface({ input: sub.stderr!, crlfDelay: Infinity });
    // Back-pressure: while the log's write queue is full the pipes are not read, so the agent
    // blocks on its writes instead of the runner holding (or dropping) its output.
    events.setProducer({
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
      events.pushOutput(evs, Buffer.byteLength(line) + 1);
      // A fatal error from the adapter (Codex past max_turns or unable to reach its server) means
      // the run is over though the CLI keeps going: stop its group; the result is already emitted.
      if (evs.some((ev) => ev.kind === "error" && ev.fatal)) this.signal();
    });
    err.on("line", (line) => {
      lastOutput = Date.now();
      events.pushOutput([{ kind: "stderr", text: line, raw: line }], Buffer.byteLength(line) + 1);
      parser.stderr?.(line); // the adapter quotes the CLI's own words when it synthesizes a result
    });
    const closed = Promise.all([new Promise((res) => out.once("close", res)), new Promise((res) => err.once("close", res))]);

    const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve([child.exitCode, child.signalCode]);
      else child.once("exit", (code, sig) => resolve([code, sig]));
    });
    // In a sandbox the process spawned is bubblewrap's, which a SIGTERM ends at once while the agent
    // inside still has its grace: when stopping, wait for the agent (its output closing) that long.
    if (boxed && this.killTimer) await Promise.race([closed, new Promise((res) => setTimeout(res, this.deps.graceSecs * 1000))]);
    this.exited = true;
    clearInterval(idle);
    // Whatever the agent left behind in its group goes with it (and releases the pipes).
    killGroup(pgid, "SIGKILL");
    // What is left in the pipes is bounded by their buffers: read it all, without pausing.
    events.setProducer(undefined);
    await Promise.race([closed, new Promise((res) => setTimeout(res, 5_000))]);
    out.close();
    err.close();
    clearTimeout(this.killTimer);
    await waitGroupGone(pgid, 2_000);
    this.deps.guard.remove(pgid);
    await boxed?.close();
    for (const ev of parser.end({ exitCode, signal })) emit(ev);
    events.reportOutputDropped();
    await recordPid;
    await recordAttempt(this.deps.db, this.deps.owner, { exitCode }).catch(() => {});
    log.info({ exitCode, signal }, "agent process exited");
    return { exitCode, signal };
  }
}
