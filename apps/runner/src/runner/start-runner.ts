// The runner: registers itself, reaps what a dead predecessor left, then claims pending sessions
// (woken by NOTIFY, with a polling fallback) up to its capacity, heartbeats and extends its leases,
// sweeps expired leases of any runner, and shuts down gracefully.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "@drover/db";
import { CHANNELS, listen } from "@drover/db/notify";
import { dataDir } from "@drover/db/paths";
import type { Logger } from "pino";
import { createLogger } from "../log.ts";
import type { RunnerCapabilities } from "@drover/core/runtimes/capabilities";
import type { Prisma } from "@drover/db";
import { detectCapabilities, detectSecretKeyId } from "./capabilities.ts";
import { claimNext } from "./claim.ts";
import { StartSteps } from "./start-steps.ts";
import { EventBudget } from "./event-log.ts";
import { processGuard, type Guard } from "./guard.ts";
import { defaultLifecycleHooks, type SessionLifecycleHooks } from "./lifecycle.ts";
import { parseRunnerOptions, type RunnerOptions, type RunnerOptionsInput } from "./options.ts";
import { reapLeftovers, sweepExpiredLeases } from "./recovery.ts";
import { extendLeases, releaseLeases } from "@drover/db/sessions/index";
import { SessionRun } from "./session-run.ts";
import { type RunnerMcp, startRunnerMcp } from "./mcp-endpoint.ts";
import { clonesRoot, ProjectRepos } from "./project-repos.ts";
import { noteUnrunnableSessions } from "./waiting-reasons.ts";
import { describeSecretKey } from "@drover/db/secrets/key";
import { pruneRequests } from "@drover/db/services/runner-requests";
import { RequestServer } from "../requests/request-server.ts";
import { resolveProjectScope } from "./project-scope.ts";

export interface StartRunnerOptions extends RunnerOptionsInput {
  hooks?: SessionLifecycleHooks;
  logger?: Logger;
  /** The runner's environment, where agents' credentials come from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface RunnerHandle {
  id: string;
  options: RunnerOptions;
  /** The project ids it serves (`projects` resolved); empty: every project. */
  projectIds: readonly number[];
  /** Session ids this runner is supervising now. */
  running(): number[];
  /** Graceful shutdown: stop claiming, stop agents (grace, then kill), flush, interrupt, release. */
  stop(): Promise<void>;
}

export async function startRunner(input: StartRunnerOptions): Promise<RunnerHandle> {
  const { hooks = defaultLifecycleHooks, logger, env = process.env, ...rest } = input;
  // With the pipeline's hooks, its auto-assign resumes interrupted sessions (it knows whether the
  // story still needs them); on its own the runner queues the resume itself.
  const opts = parseRunnerOptions({ ...rest, recoverInterrupted: rest.recoverInterrupted ?? hooks === defaultLifecycleHooks });
  const log = (logger ?? createLogger("drover-runner")).child({ runnerId: opts.id });
  const db = createDb(opts.databaseUrl, { max: 8 });
  let projectIds: number[];
  try {
    projectIds = await resolveProjectScope(db, opts.projects);
  } catch (err) {
    await db.$disconnect();
    throw new Error(`Invalid runner options: ${(err as Error).message}`);
  }
  const runner = new Runner(db, opts, projectIds, hooks, log, env);
  await runner.start();
  return {
    id: opts.id,
    options: opts,
    projectIds,
    running: () => [...runner.runs.keys()],
    stop: () => runner.shutdown(),
  };
}

class Runner {
  readonly runs = new Map<number, SessionRun>();
  private guard!: Guard;
  private readonly budget: EventBudget;
  private stopping = false;
  private claiming: Promise<void> | undefined;
  private claimAgain = false;
  private claimBackoff = 0;
  private claimPauseUntil = 0;
  /** When the NOTIFY that the next claim answers arrived (performance.now()); for StartSteps. */
  private wokeAt: number | undefined;
  private timers: NodeJS.Timeout[] = [];
  private listener: { close(): Promise<void> } | undefined;
  private readonly sessionsDir: string;
  private readonly stateRoot: string;
  private readonly repos: ProjectRepos;
  private runDone = new Set<Promise<void>>();
  /** What this host can run, detected at start and on each heartbeat. */
  private caps: RunnerCapabilities | null = null;
  private secretKeyId: string | null = null;
  /** Drover's MCP tools for this runner's sessions. */
  private mcp: RunnerMcp | undefined;
  /** Serves the web's requests that need a repository on this host. */
  private requests!: RequestServer;

  /** Detects what this host can run and which secrets it can decrypt (names and fingerprints only). */
  private async detect(): Promise<{ capabilities: Prisma.InputJsonValue; secretKeyId: string | null }> {
    this.caps = await detectCapabilities({ env: this.runnerEnv });
    this.secretKeyId = detectSecretKeyId(this.runnerEnv);
    return { capabilities: this.caps as unknown as Prisma.InputJsonValue, secretKeyId: this.secretKeyId };
  }

  constructor(
    private readonly db: Db,
    private readonly opts: RunnerOptions,
    /** The projects it serves (`--projects`); empty: every project. */
    private readonly projectIds: readonly number[],
    private readonly hooks: SessionLifecycleHooks,
    private readonly log: Logger,
    private readonly runnerEnv: NodeJS.ProcessEnv,
  ) {
    this.budget = new EventBudget(opts.maxBufferedEvents);
    this.sessionsDir = path.join(opts.dataDir ?? path.join(dataDir(), "runner", opts.id), "sessions");
    this.stateRoot = path.join(opts.dataDir ?? dataDir(), "runtime-state");
    this.repos = new ProjectRepos(clonesRoot(opts.dataDir), db, runnerEnv);
  }

  async start(): Promise<void> {
    const { db, opts } = this;
    fs.mkdirSync(this.sessionsDir, { recursive: true });
    const detected = await this.detect();
    const record = { host: os.hostname(), pid: process.pid, capacity: opts.capacity, projectIds: [...this.projectIds], ...detected };
    await db.runner.upsert({
      where: { id: opts.id },
      create: { id: opts.id, ...record },
      update: { ...record, startedAt: new Date(), heartbeatAt: new Date(), stoppedAt: null },
    });
    this.mcp = await startRunnerMcp(db, this.log);
    processGuard(); // started now, so it is up long before the first agent or gate needs it
    // Looked up on each use: a guard that died is started again (see processGuard).
    this.guard = { add: (g) => processGuard().add(g), remove: (g) => processGuard().remove(g), close: () => {} };
    const scope = { recover: opts.recoverInterrupted, projects: this.projectIds };
    const reaped = await reapLeftovers(db, this.log, opts.id, opts.leaseSecs, scope);
    if (reaped) this.log.warn({ reaped }, "reaped leftover agent process groups");
    await this.hooks.onRunnerStart?.({ projectIds: this.projectIds });
    this.requests = new RequestServer(db, opts.id, this.log, this.projectIds);
    this.listener = listen(
      opts.databaseUrl,
      [CHANNELS.sessions, CHANNELS.runnerRequests],
      (ch, payload) => {
        if (ch === CHANNELS.runnerRequests) return this.requests.kick();
        const id = Number(payload.sessionId);
        if (this.runs.has(id)) void this.checkStops([id]);
        else {
          this.wokeAt ??= performance.now();
          this.kick();
        }
      },
      {
        onReconnect: () => {
          this.kick();
          this.requests.kick();
        },
        onError: (err) => this.log.debug({ err: err.message }, "listen connection error"),
      },
    );
    this.timers.push(setInterval(() => this.pollTick(), opts.pollMs));
    this.timers.push(setInterval(() => void this.heartbeat(), opts.heartbeatSecs * 1000));
    const projects = this.projectIds.length ? this.projectIds : "all";
    this.log.info({ capacity: opts.capacity, leaseSecs: opts.leaseSecs, projects, runtimes: capabilitySummary(this.caps) }, "runner started");
    this.log.info(describeSecretKey({ env: this.runnerEnv }));
    this.kick();
    this.requests.kick();
  }

  private pollTick(): void {
    this.kick();
    this.requests.kick();
    if (this.runs.size) void this.checkStops([...this.runs.keys()]);
  }

  /** Starts a claim round, or asks the current one to go again (so no wake-up is lost). */
  private kick(): void {
    if (this.stopping || Date.now() < this.claimPauseUntil) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = (async () => {
      do {
        this.claimAgain = false;
        await this.claimRound();
      } while (this.claimAgain && !this.stopping);
    })()
      .then(() => {
        this.claimBackoff = 0;
      })
      .catch((err) => {
        // The database is likely away: back off (the poll tick retries) instead of spinning.
        this.claimBackoff = Math.min(Math.max(this.claimBackoff * 2, 250), 5_000);
        this.claimPauseUntil = Date.now() + this.claimBackoff;
        this.log.warn({ err: (err as Error).message, retryInMs: this.claimBackoff }, "claim round failed");
      })
      .finally(() => {
        this.claiming = undefined;
      });
  }

  private async claimRound(): Promise<void> {
    while (!this.stopping && this.runs.size < this.opts.capacity) {
      const steps = new StartSteps(this.wokeAt === undefined ? 0 : performance.now() - this.wokeAt);
      this.wokeAt = undefined;
      steps.mark("wake");
      const claimed = await claimNext(this.db, this.opts.id, this.opts.leaseSecs, this.reach, this.caps, this.secretKeyId, this.projectIds);
      steps.mark("claim");
      if (!claimed || this.stopping) {
        if (claimed) this.startRun(claimed.id, claimed.attempt, steps); // claimed as we began stopping: it ends as runner_shutdown
        return;
      }
      this.startRun(claimed.id, claimed.attempt, steps);
    }
  }

  private startRun(id: number, attempt: number, steps: StartSteps): void {
    const run = new SessionRun(
      {
        db: this.db,
        log: this.log,
        runnerId: this.opts.id,
        opts: this.opts,
        hooks: this.hooks,
        guard: this.guard,
        budget: this.budget,
        sessionsDir: this.sessionsDir,
        stateRoot: this.stateRoot,
        runnerEnv: this.runnerEnv,
        mcp: this.mcp,
        repos: this.repos,
      },
      id,
      attempt,
      steps,
    );
    if (this.stopping) run.requestStop("runner_shutdown");
    this.runs.set(id, run);
    const done = run
      .run()
      .catch((err) => this.log.error({ err, sessionId: id }, "session supervisor crashed; its lease will expire and the sweeper interrupts it"))
      .finally(() => {
        this.runs.delete(id);
        this.runDone.delete(done);
        this.kick();
      });
    this.runDone.add(done);
  }

  /** Which projects' repositories exist on this host (answers cached for 10 s). */
  private readonly reachCache = new Map<number, { ok: boolean; at: number }>();
  private readonly reach = {
    unreachable: [] as number[],
    reachable: (projectId: number, repoPath: string): boolean => {
      const hit = this.reachCache.get(projectId);
      if (hit && Date.now() - hit.at < 10_000) return hit.ok;
      const ok = fs.existsSync(path.join(repoPath, ".git"));
      this.reachCache.set(projectId, { ok, at: Date.now() });
      this.reach.unreachable = [...this.reachCache].filter(([, v]) => !v.ok).map(([k]) => k);
      return ok;
    },
  };

  private async checkStops(ids: number[]): Promise<void> {
    try {
      const rows = await this.db.agentSession.findMany({
        where: { id: { in: ids }, runnerId: this.opts.id, stopRequestedAt: { not: null } },
        select: { id: true },
      });
      for (const r of rows) this.runs.get(r.id)?.requestStop("user_stop");
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, "stop check failed");
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.stopping) return;
    const { db, opts } = this;
    try {
      await db.runner.update({ where: { id: opts.id }, data: { heartbeatAt: new Date(), ...(await this.detect()) } });
      const mine = [...this.runs.keys()];
      if (mine.length) {
        const keptIds = await extendLeases(db, opts.id, mine, opts.leaseSecs);
        for (const id of mine) {
          // Declared lost meanwhile (e.g. after a long database outage): a newer attempt may run it.
          if (!keptIds.has(id) && this.runs.has(id)) this.runs.get(id)!.requestStop("lease_lost");
        }
      }
      await sweepExpiredLeases(db, this.log, { recover: opts.recoverInterrupted, projects: this.projectIds });
      await noteUnrunnableSessions(db);
      await pruneRequests(db);
      await this.hooks.onTick?.();
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "heartbeat failed");
    }
  }

  async shutdown(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.log.info({ running: this.runs.size }, "shutting down");
    await Promise.all([this.claiming, this.requests.stop()]);
    // Agents get the grace period to exit on SIGTERM (SIGKILL after it); then flushing and final
    // writes get a bounded time of their own so a dead database cannot hang the shutdown forever.
    const deadline = Date.now() + this.opts.graceSecs * 1000 + 30_000;
    for (const run of this.runs.values()) {
      run.deadline = deadline;
      run.requestStop("runner_shutdown");
    }
    await Promise.race([Promise.all([...this.runDone]), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now()) + 1_000))]);
    await this.listener?.close();
    await this.mcp?.close();
    // Anything still running (its final write failed) is left for the sweeper: lease released.
    await releaseLeases(this.db, this.opts.id).catch(() => {});
    await this.db.runner.update({ where: { id: this.opts.id }, data: { stoppedAt: new Date() } }).catch(() => {});
    // The guard is this process's (gates and teardown use it too): it stays, and kills whatever is
    // still registered when this process ends.
    await this.db.$disconnect();
    this.log.info("runner stopped");
  }
}

/** For the start log line: "claude-code: 2.1.197, credential env ANTHROPIC_API_KEY" (names, never values). */
function capabilitySummary(caps: RunnerCapabilities | null): Record<string, string> {
  return Object.fromEntries(
    Object.entries(caps ?? {}).map(([r, c]) => [
      r,
      c.path
        ? `${c.version ?? "version unknown"}, ${c.credentials.length ? `credential ${c.credentials.join(", ")}` : "no credential"}`
        : `${c.cli} not on PATH`,
    ]),
  );
}
