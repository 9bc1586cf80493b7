// The pipeline's lifecycle hooks for `drover runner`: gates on exit, the after-session decision,
// and a serialized automation pass (auto-assign, merges) run when the runner starts, after every
// session ends, when the board changes (story moved, config reloaded), and on a slow timer.
// On a runner scoped to some projects (`--projects`) all of it acts on those projects only, and the
// workspace-wide chores (the demo autopilot, archiving done stories, compacting old logs) are left
// to unscoped runners: they run under one lock for all projects, which a scoped runner must not hold.
import fs from "node:fs";
import path from "node:path";
import { createDb, type Db } from "@drover/db";
import { CHANNELS, listen } from "@drover/db/notify";
import { pino, type Logger } from "pino";
import type { SessionLifecycleHooks } from "../runner/lifecycle.ts";
import { applyOrphans, pipelineAfterEnd } from "./after-end.ts";
import { autoAssignProject } from "./auto-assign.ts";
import { LOCK_SPACE, withAdvisoryLock } from "./locks.ts";
import { attemptMerge } from "./merge-flow.ts";
import { pipelineOnExit } from "./on-exit.ts";
import { compactOldSessions, enforceAgentBudgets, latestEventId, sweepDone, throttleFromEvents } from "./heartbeat.ts";
import { DEFAULT_DEMO_PROMOTE_SECS, runDemoAutopilot } from "../demo/autopilot.ts";
import { clonesRoot, ProjectRepos } from "../runner/project-repos.ts";
import { AUTOMATION } from "./actors.ts";

export interface PipelineOptions {
  databaseUrl?: string;
  logger?: Logger;
  /** Backstop pass interval (default 30 s); board changes and session ends trigger passes sooner. */
  backstopMs?: number;
  /** Listen for board changes (default true). */
  listenBoard?: boolean;
  /** The demo project's autopilot: idle time before it promotes a backlog story (default 45 s). */
  demoPromoteMs?: number;
  /** The runner's data folder (its --data-dir): remote projects' clones live there. */
  dataDir?: string;
}

export interface PipelineHooks extends SessionLifecycleHooks {
  /** Runs one automation pass now (or after the current one) and resolves when it is done. */
  pass(): Promise<void>;
  close(): Promise<void>;
}

export function createAutomationHooks(opts: PipelineOptions = {}): PipelineHooks {
  const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL ?? "";
  const log = (opts.logger ?? pino({ name: "drover-pipeline" })).child({ part: "pipeline" });
  let db: Db | undefined;
  const getDb = () => (db ??= createDb(databaseUrl, { max: 4 }));
  let repos: ProjectRepos | undefined;
  const getRepos = () => (repos ??= new ProjectRepos(clonesRoot(opts.dataDir), getDb()));
  const configFetchedAt = new Map<number, number>();
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  let lastPass = 0;
  let eventMark: bigint | undefined;
  let lastSweep = 0;
  let listener: { close(): Promise<void> } | undefined;
  let debounce: NodeJS.Timeout | undefined;
  /** The runner's projects (onRunnerStart); empty: every project. */
  let scope: readonly number[] = [];
  const inScope = () => (scope.length ? { id: { in: [...scope] } } : {});

  async function reachableProjects(): Promise<number[]> {
    // Archived projects get no passes: nothing starts or merges there. A remote project is reachable from every host.
    const rows = await getDb().project.findMany({ where: { archivedAt: null, ...inScope() }, select: { id: true, repoPath: true, remoteUrl: true } });
    return rows.filter((p) => p.remoteUrl || fs.existsSync(path.join(p.repoPath, ".git"))).map((p) => p.id);
  }

  /** A remote project's roster is read from the remote base (fetched at most every 10 s per project). */
  async function syncRemoteConfigs(): Promise<void> {
    const rows = await getDb().project.findMany({ where: { archivedAt: null, remoteUrl: { not: null }, ...inScope() } });
    for (const p of rows) {
      if (Date.now() - (configFetchedAt.get(p.id) ?? 0) < 10_000) continue;
      configFetchedAt.set(p.id, Date.now());
      await getRepos()
        .syncConfig(p, AUTOMATION.configSync)
        .catch((err) => log.warn({ project: p.name, err: (err as Error).message }, "could not read the remote project's roster"));
    }
  }

  async function onePass(): Promise<void> {
    const d = getDb();
    await syncRemoteConfigs();
    for (const projectId of await reachableProjects()) {
      await applyOrphans(databaseUrl, d, projectId, log);
      const assign = () => withAdvisoryLock(databaseUrl, LOCK_SPACE.assign, projectId, () => autoAssignProject(d, projectId, log));
      const first = await assign();
      const merges = first.ran ? first.value : [];
      if (!merges.length) continue;
      // One merge at a time per project, across runners: the base branch moves one story at a time.
      const merged = await withAdvisoryLock(databaseUrl, LOCK_SPACE.merge, projectId, async () => {
        let n = 0;
        for (const storyId of merges) if ((await attemptMerge(d, projectId, storyId, log, getRepos())) === "done") n++;
        return n;
      });
      if (merged.ran && merged.value > 0) await assign(); // done stories may unblock depends_on
    }
  }

  function pass(): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        lastPass = Date.now();
        try {
          await onePass();
        } catch (err) {
          log.error({ err }, "automation pass failed");
        }
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  const kickSoon = () => {
    if (closed || debounce) return;
    debounce = setTimeout(() => {
      debounce = undefined;
      void pass();
    }, 300);
  };

  return {
    onExit: pipelineOnExit,
    async afterEnd(ctx) {
      try {
        await pipelineAfterEnd(databaseUrl, ctx, log);
      } finally {
        kickSoon();
      }
    },
    async onRunnerStart(runner) {
      scope = runner?.projectIds ?? [];
      eventMark = await latestEventId(getDb());
      if (opts.listenBoard !== false) {
        listener = listen(databaseUrl, [CHANNELS.board], () => kickSoon(), { onReconnect: kickSoon });
      }
      void pass();
    },
    async onTick() {
      const d = getDb();
      eventMark = await throttleFromEvents(d, eventMark ?? (await latestEventId(d)), scope);
      await enforceAgentBudgets(d, log, scope);
      if (Date.now() - lastPass > (opts.backstopMs ?? 30_000)) void pass();
      if (scope.length) return; // the workspace-wide chores below are unscoped runners'
      if (Date.now() - lastSweep > 30_000) {
        lastSweep = Date.now();
        await withAdvisoryLock(databaseUrl, LOCK_SPACE.sweep, 0, async () => {
          const projects = await reachableProjects();
          await sweepDone(d, projects);
          await compactOldSessions(d, projects, log);
        });
      }
      const demo = await withAdvisoryLock(databaseUrl, LOCK_SPACE.demo, 0, () =>
        runDemoAutopilot(d, { intervalMs: opts.demoPromoteMs ?? DEFAULT_DEMO_PROMOTE_SECS * 1000 }, log),
      );
      if (demo.ran && demo.value.length) kickSoon();
    },
    pass,
    async close() {
      closed = true;
      clearTimeout(debounce);
      // A pass may be in a merge's gates: give it a moment, not the gate timeout. An abandoned merge
      // is safe: its lock goes with the connection and the next attempt starts a fresh worktree.
      await Promise.race([running, new Promise((r) => setTimeout(r, 15_000).unref())]);
      await listener?.close();
      await db?.$disconnect();
    },
  };
}
