// Dispatch: pending session → agent process started (Drover's runner, NOTIFY wake-up), against
// graphile-worker's addJob → task start on the same database plus a bare execa spawn (the floor).
// Sessions run one after another on one story; the anchor task spawns the same `true` command.
// The sandbox's cost (issue #19): the same sessions to their end, sandboxed (the default) beside a
// project with sandbox = false, and the sandbox wrapper alone (proxy, bubblewrap, bridge) around `true`.
import path from "node:path";
import { execa } from "execa";
import { Logger, run as runWorker } from "graphile-worker";
import { createDb } from "../../packages/db/src/client.ts";
import { CHANNELS, notify } from "../../packages/db/src/notify.ts";
import { startRunner } from "../../apps/runner/src/runner/start-runner.ts";
import { startStepsLogger } from "../../apps/runner/src/runner/start-steps.ts";
import { sandboxCommand } from "../../apps/runner/src/sandbox/sandbox.ts";
import { makeProject } from "../lib/fixture.ts";
import { makeRepo } from "../../packages/repo/testing/make-repo.ts";
import type { Part } from "../lib/part.ts";
import { anchorPool } from "../lib/postgres.ts";
import { median, p99 } from "../lib/stats.ts";

/** Resolves when `true` has been spawned (its 'spawn' event); returns that time (Date.now()). */
async function spawnTrue(): Promise<number> {
  const sub = execa("true", [], { reject: false, stdin: "ignore", stdout: "ignore", stderr: "ignore", detached: true, cleanup: false });
  const spawned = await new Promise<number>((resolve, reject) => {
    sub.once("spawn", () => resolve(Date.now()));
    sub.once("error", reject);
  });
  await sub;
  return spawned;
}

export const dispatch: Part = {
  name: "dispatch",
  async run({ quick, pg, report, tmp }) {
    const N = quick ? 10 : 300;
    const url = await pg.database("bench_dispatch");
    const db = createDb(url, { max: 4 });
    const repo = makeRepo({ dir: path.join(tmp, "repo") });
    const { project, stories, agents } = await makeProject(db, repo, { stories: 1, agents: [{ name: "quick", stage: "coder", command: ["true"] }] });
    const open = await makeProject(db, makeRepo({ dir: path.join(tmp, "repo-open") }), {
      name: "bench-unsandboxed",
      config: { sandbox: false },
      stories: 1,
      agents: [{ name: "quick", stage: "coder", command: ["true"] }],
    });
    // Each agent's start steps (the runner's debug log, start-steps.ts): where the time goes.
    const stepsOf = new Map<number, { wokeAt: number; steps: Record<string, number> }>();
    const logger = startStepsLogger((r) => stepsOf.set(r.sessionId, r));
    const runner = await startRunner({ databaseUrl: url, dataDir: path.join(tmp, "runner"), recoverInterrupted: false, logger });
    // The runner runs in this process: the bench must not take its CPU or event loop while a
    // session starts. It waits for the session to leave the runner's hands (a look at the runner's
    // list every 2 ms, no query), then reads the row once. Waking on the board's notifications, as
    // it did, ran a query of the bench's at each session's start (the runner notifies the board as
    // it claims), on the very path measured; a web server would take those, in its own process.
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    /** One session of `true`: pending → process started, and pending → finished. */
    const runOne = async (p: typeof open) => {
      const t0 = Date.now();
      const s = await db.agentSession.create({
        data: { projectId: p.project.id, storyId: p.stories[0]!.id, agentId: p.agents[0]!.id, stage: "coder", runtime: "command", prompt: "" },
      });
      await notify(db, CHANNELS.sessions, { sessionId: s.id, projectId: p.project.id });
      const deadline = Date.now() + 60_000;
      const read = () => db.agentSession.findUnique({ where: { id: s.id }, select: { finishedAt: true, processStartedAt: true, status: true } });
      let seen = false;
      let row: Awaited<ReturnType<typeof read>> = null;
      for (let n = 0; ; n++) {
        const running = runner.running().includes(s.id);
        seen ||= running;
        // Gone from the runner's list once ended; never seen (claimed and ended between two looks): the row says.
        if ((seen && !running) || (!seen && n > 0 && n % 125 === 0)) {
          row = await read();
          if (row?.finishedAt) break;
        }
        if (Date.now() > deadline) throw new Error(`timed out after 60000 ms waiting for session ${s.id} to finish`);
        await sleep(2);
      }
      if (row.status !== "completed" || !row.processStartedAt) throw new Error(`session ${s.id} ended ${row.status}`);
      const steps = stepsOf.get(s.id);
      const wake = steps ? { "insert + NOTIFY → wake-up": steps.wokeAt - t0, ...steps.steps } : undefined;
      return { started: row.processStartedAt.getTime() - t0, finished: row.finishedAt.getTime() - t0, steps: wake };
    };
    const sandboxed = { project, stories, agents };
    await runOne(sandboxed); // warm-up: creates the story's worktree (a one-off per story)
    await runOne(open);
    const drover: number[] = [];
    const finishedBoxed: number[] = [];
    const finishedOpen: number[] = [];
    const startedOpen: number[] = [];
    const stepTimes = new Map<string, number[]>();
    for (let i = 0; i < N; i++) {
      const boxed = await runOne(sandboxed);
      drover.push(boxed.started);
      for (const [k, v] of Object.entries(boxed.steps ?? {})) stepTimes.set(k, [...(stepTimes.get(k) ?? []), v]);
      finishedBoxed.push(boxed.finished);
      const o = await runOne(open);
      finishedOpen.push(o.finished);
      startedOpen.push(o.started);
    }
    await runner.stop();

    // The wrapper alone: `true` to its exit in the sandbox (proxy up, bwrap, bridge) against a bare spawn.
    const worktree = path.join(tmp, "wrapper-wt");
    (await import("node:fs")).mkdirSync(worktree, { recursive: true });
    const runTrue = async (boxed: boolean) => {
      const t0 = performance.now();
      const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: worktree };
      const w = boxed ? await sandboxCommand({ argv: ["true"], env, cwd: worktree, writable: [worktree], allow: [], onRefused: () => {} }) : undefined;
      await execa(w?.file ?? "true", w?.args ?? [], {
        env: w?.env ?? env,
        extendEnv: false,
        reject: false,
        stdin: "ignore",
        stdout: "ignore",
        stderr: "ignore",
      });
      await w?.close();
      return performance.now() - t0;
    };
    await runTrue(true);
    const wrapBoxed: number[] = [];
    const wrapBare: number[] = [];
    for (let i = 0; i < N; i++) {
      wrapBoxed.push(await runTrue(true));
      wrapBare.push(await runTrue(false));
    }

    // graphile-worker in the same process, on the same database (its own schema), same command.
    const pgPool = anchorPool(url);
    let onStart: ((startedAt: number, spawnedAt: number) => void) | undefined;
    const worker = await runWorker({
      pgPool,
      concurrency: 1,
      noHandleSignals: true,
      pollInterval: 2000,
      logger: new Logger(() => () => {}),
      taskList: {
        spawn: async () => {
          const startedAt = Date.now();
          const spawnedAt = await spawnTrue();
          onStart?.(startedAt, spawnedAt);
        },
      },
    });
    const gwOne = async () => {
      const done = new Promise<[number, number]>((resolve) => (onStart = (a, b) => resolve([a, b])));
      const t0 = Date.now();
      await worker.addJob("spawn", {});
      const [startedAt, spawnedAt] = await done;
      return { task: startedAt - t0, withSpawn: spawnedAt - t0 };
    };
    await gwOne();
    const gwTask: number[] = [];
    const gwSpawn: number[] = [];
    for (let i = 0; i < N; i++) {
      const r = await gwOne();
      gwTask.push(r.task);
      gwSpawn.push(r.withSpawn);
      await new Promise((r) => setTimeout(r, 5)); // let the job's completion land before the next
    }
    await worker.stop();
    await pgPool.end();

    await spawnTrue();
    // Date.now() has 1 ms resolution: the floor is timed with performance.now().
    const bareFine: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const sub = execa("true", [], { reject: false, stdin: "ignore", stdout: "ignore", stderr: "ignore", detached: true, cleanup: false });
      await new Promise((r) => sub.once("spawn", r));
      bareFine.push(performance.now() - t0);
      await sub;
    }
    const anchorName = "graphile-worker addJob→task + execa spawn";
    report.add({
      part: "dispatch",
      name: `pending → process started, median (n=${N})`,
      unit: "ms",
      drover: median(drover),
      anchorName,
      anchor: median(gwSpawn),
      goal: "≤ 2x",
    });
    report.add({
      part: "dispatch",
      name: `pending → process started, p99 (n=${N})`,
      unit: "ms",
      drover: p99(drover),
      anchorName,
      anchor: p99(gwSpawn),
      goal: "drover < 100 ms",
    });
    // The anchor runs no sandbox: the same figures for a project with sandbox = false compare like with like.
    report.add({
      part: "dispatch",
      name: `pending → process started, sandbox = false, median (n=${N})`,
      unit: "ms",
      drover: median(startedOpen),
      anchorName,
      anchor: median(gwSpawn),
      goal: "≤ 2x",
    });
    report.add({
      part: "dispatch",
      name: `pending → process started, sandbox = false, p99 (n=${N})`,
      unit: "ms",
      drover: p99(startedOpen),
      anchorName,
      anchor: p99(gwSpawn),
      goal: "drover < 100 ms",
    });
    report.add({
      part: "dispatch",
      name: `pending → \`true\` finished, sandboxed, median (n=${N})`,
      unit: "ms",
      drover: median(finishedBoxed),
      anchorName: "the same with sandbox = false",
      anchor: median(finishedOpen),
    });
    report.add({
      part: "dispatch",
      name: `pending → \`true\` finished, sandboxed, p99 (n=${N})`,
      unit: "ms",
      drover: p99(finishedBoxed),
      anchorName: "the same with sandbox = false",
      anchor: p99(finishedOpen),
    });
    report.add({
      part: "dispatch",
      name: `sandbox start-up: \`true\` run to exit in the sandbox, median (n=${N})`,
      unit: "ms",
      drover: median(wrapBoxed),
      anchorName: "bare spawn to exit",
      anchor: median(wrapBare),
    });
    report.note(
      "dispatch",
      `where the sandboxed sessions' time to spawn goes, median ms per step: ${[...stepTimes].map(([k, v]) => `${k} ${median(v).toFixed(1)}`).join(", ")}`,
    );
    report.add({ part: "dispatch", name: "graphile-worker addJob → task start, median", unit: "ms", drover: median(gwTask), note: "anchor part alone" });
    report.add({ part: "dispatch", name: "bare execa spawn (floor), median", unit: "ms", drover: median(bareFine), note: "anchor part alone" });
    report.add({ part: "dispatch", name: "bare execa spawn (floor), p99", unit: "ms", drover: p99(bareFine) });
    await db.$disconnect();
  },
};
