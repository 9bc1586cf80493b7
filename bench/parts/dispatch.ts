// Dispatch: pending session → agent process started (Drover's runner, NOTIFY wake-up), against
// graphile-worker's addJob → task start on the same database plus a bare execa spawn (the floor).
// Sessions run one after another on one story; the anchor task spawns the same `true` command.
import path from "node:path";
import { execa } from "execa";
import { Logger, run as runWorker } from "graphile-worker";
import { createDb } from "../../packages/db/src/client.ts";
import { CHANNELS, notify } from "../../packages/db/src/notify.ts";
import { startRunner } from "../../apps/runner/src/runner/start-runner.ts";
import { makeProject } from "../lib/fixture.ts";
import { makeRepo } from "../../packages/repo/testing/make-repo.ts";
import type { Part } from "../lib/part.ts";
import { anchorPool } from "../lib/postgres.ts";
import { median, p99, until } from "../lib/stats.ts";

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
    const runner = await startRunner({ databaseUrl: url, dataDir: path.join(tmp, "runner"), recoverInterrupted: false });

    const dispatchOne = async () => {
      const t0 = Date.now();
      const s = await db.agentSession.create({
        data: { projectId: project.id, storyId: stories[0]!.id, agentId: agents[0]!.id, stage: "coder", runtime: "command", prompt: "" },
      });
      await notify(db, CHANNELS.sessions, { sessionId: s.id, projectId: project.id });
      const row = await until(
        async () => {
          const r = await db.agentSession.findUnique({ where: { id: s.id }, select: { finishedAt: true, processStartedAt: true, status: true } });
          return r?.finishedAt ? r : undefined;
        },
        10,
        60_000,
        `session ${s.id} to finish`,
      );
      if (row.status !== "completed" || !row.processStartedAt) throw new Error(`session ${s.id} ended ${row.status}`);
      return row.processStartedAt.getTime() - t0;
    };
    await dispatchOne(); // warm-up: creates the story's worktree (a one-off per story)
    const drover: number[] = [];
    for (let i = 0; i < N; i++) drover.push(await dispatchOne());
    await runner.stop();

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
    report.add({ part: "dispatch", name: "graphile-worker addJob → task start, median", unit: "ms", drover: median(gwTask), note: "anchor part alone" });
    report.add({ part: "dispatch", name: "bare execa spawn (floor), median", unit: "ms", drover: median(bareFine), note: "anchor part alone" });
    report.add({ part: "dispatch", name: "bare execa spawn (floor), p99", unit: "ms", drover: p99(bareFine) });
    await db.$disconnect();
  },
};
