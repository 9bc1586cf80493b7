// Throughput: 4 runner processes (capacity 4 each; --quick: 2) drain 1,000 pending sessions of a trivial
// command agent spread over 100 stories; sessions per second end to end, every session run
// exactly once (each run appends its id to a file: counted), and statements per session counted
// with pg_stat_statements. Anchor: graphile-worker, 4 workers × concurrency 4 in one process,
// the same 1,000 jobs running the same command on the same database.
import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { Logger, run as runWorker, type Runner } from "graphile-worker";
import { createDb } from "../../packages/db/src/client.ts";
import { CHANNELS, notify } from "../../packages/db/src/notify.ts";
import { makeProject, spawnRunner, stopProcess } from "../lib/fixture.ts";
import { makeRepo } from "../../packages/repo/testing/make-repo.ts";
import type { Part } from "../lib/part.ts";
import { anchorPool, probeClient, resetStatements, sql, statementCount, topStatements } from "../lib/postgres.ts";
import { cpuSeconds, until } from "../lib/stats.ts";

const CAPACITY = 4;

export const throughput: Part = {
  name: "throughput",
  async run({ quick, pg, report, tmp }) {
    const RUNNERS = quick ? 2 : 4;
    const N = quick ? 12 : 1000;
    const STORIES = quick ? 1 : 100;
    // An agent has at most one active session (a unique index): one agent per session queued.
    const AGENTS = N;
    const url = await pg.database("bench_throughput");
    const db = createDb(url, { max: 2 });
    const repo = makeRepo({ dir: path.join(tmp, "repo") });
    // Each run appends its session id in its worktree: a sandboxed run (the default) sees only that.
    const RUNS_LOG = ".bench-runs.log";
    const command = ["sh", "-c", `echo "$DROVER_SESSION_ID" >> ${RUNS_LOG}`];
    const worktrees = path.join(repo, ".drover", "worktrees");
    /** Every session id the runs wrote, over all stories' worktrees. */
    const runsLogged = () =>
      fs
        .readdirSync(worktrees)
        .flatMap((d) => (fs.existsSync(path.join(worktrees, d, RUNS_LOG)) ? fs.readFileSync(path.join(worktrees, d, RUNS_LOG), "utf8").split("\n") : []))
        .filter(Boolean);
    const { project } = await makeProject(db, repo, { stories: STORIES, agents: Array.from({ length: AGENTS }, (_, i) => ({ name: `a${i}`, command })) });

    const runners = await Promise.all(
      Array.from({ length: RUNNERS }, (_, i) =>
        spawnRunner(db, { databaseUrl: url, id: `bench-${i}`, capacity: CAPACITY, dataDir: path.join(tmp, `runner-${i}`) }),
      ),
    );

    /** Inserts `count` pending sessions (round robin over stories and agents) and waits until all ended. */
    const drain = async (count: number, offset: number) => {
      await sql(
        url,
        `INSERT INTO agent_sessions (project_id, story_id, agent_id, stage, runtime, prompt, status, updated_at)
         SELECT $1, st.id, ag.id, 'other', 'command', '', 'pending', now()
         FROM generate_series(0, $2::int - 1) g
         JOIN LATERAL (SELECT id FROM stories WHERE project_id = $1 ORDER BY number OFFSET ((g + $3::int) % $4::int) LIMIT 1) st ON true
         JOIN LATERAL (SELECT id FROM agents WHERE project_id = $1 ORDER BY id OFFSET (g % $5::int) LIMIT 1) ag ON true`,
        [project.id, count, offset, STORIES, AGENTS],
      );
      await notify(db, CHANNELS.sessions, { projectId: project.id });
      const probe = await probeClient(url);
      try {
        await until(
          async () => {
            const { rows } = await probe.query<{ n: number }>(`SELECT count(*)::int AS n FROM agent_sessions WHERE status IN ('pending', 'running')`);
            return rows[0]!.n === 0;
          },
          100,
          600_000,
          "every session to end",
        );
      } finally {
        await probe.end();
      }
    };

    // Warm-up (not timed): the first session of each story creates its worktree.
    const w0 = performance.now();
    await drain(STORIES, 0);
    const warmSecs = (performance.now() - w0) / 1000;
    console.log(`  warm-up (${STORIES} worktrees): ${warmSecs.toFixed(1)} s`);

    const [{ id: lastWarmId }] = (await sql<{ id: number }>(url, `SELECT max(id)::int AS id FROM agent_sessions`)) as [{ id: number }];
    const cpu0 = runners.map((r) => cpuSeconds(r.pid!));
    await resetStatements(url);
    const t0 = performance.now();
    await drain(N, 0);
    const secs = (performance.now() - t0) / 1000;
    const statements = await statementCount(url);
    const top = await topStatements(url);
    console.log(`  drained ${N} sessions in ${secs.toFixed(1)} s`);
    const runnerCpu = runners.reduce((sum, r, i) => sum + cpuSeconds(r.pid!) - cpu0[i]!, 0);
    for (const r of runners) await stopProcess(r);
    // Where a slot's time goes: claim → process start → process exit → final status.
    const [phase] = await sql<{ claim_to_spawn: number; spawn_to_end: number; slot: number }>(
      url,
      `SELECT avg(extract(epoch FROM process_started_at - started_at))::float8 * 1000 AS claim_to_spawn,
         avg(extract(epoch FROM finished_at - process_started_at))::float8 * 1000 AS spawn_to_end,
         avg(extract(epoch FROM finished_at - started_at))::float8 * 1000 AS slot
       FROM agent_sessions WHERE id > (SELECT min(id) + $1 - 1 FROM agent_sessions)`,
      [STORIES],
    );
    console.log(
      `  per session (mean): claimed → process started ${phase!.claim_to_spawn.toFixed(0)} ms, process started → final status ${phase!.spawn_to_end.toFixed(0)} ms`,
    );

    // Every session exactly once: the runs log against the sessions table.
    const ran = runsLogged().filter((id) => Number(id) > lastWarmId);
    const counts = new Map<string, number>();
    for (const id of ran) counts.set(id, (counts.get(id) ?? 0) + 1);
    const doubles = [...counts.values()].filter((n) => n > 1).length;
    // Sessions that did not complete, warm-up included (their reasons say why).
    const notDone = await sql<{ warm: boolean; status: string; reason: string; message: string; n: number }>(
      url,
      `SELECT id <= $1 AS warm, status::text, reason, left(message, 300) AS message, count(*)::int AS n FROM agent_sessions
       WHERE status <> 'completed' GROUP BY 1, 2, 3, 4 ORDER BY 1, 5 DESC`,
      [lastWarmId],
    );
    for (const r of notDone) console.log(`  NOT COMPLETED (${r.warm ? "warm-up" : "timed"}): ${r.n} × ${r.status} ${r.reason}: ${r.message}`);
    const [st] = await sql<{ completed: number; retried: number }>(
      url,
      `SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed, count(*) FILTER (WHERE attempt > 1)::int AS retried FROM agent_sessions WHERE id > $1`,
      [lastWarmId],
    );
    console.log(
      `  runs logged: ${ran.length} for ${N} sessions; sessions run twice: ${doubles}; completed: ${st!.completed}/${N}; claimed more than once: ${st!.retried}`,
    );
    if (doubles > 0 || ran.length !== N || st!.completed !== N)
      throw new Error(`double, missing or failed runs: ${ran.length} runs logged for ${N} sessions, ${doubles} run twice, ${st!.completed} completed`);

    // Anchor: graphile-worker, same command (a file of its own), same database.
    const gwLog = path.join(tmp, "gw.log");
    fs.writeFileSync(gwLog, "");
    let done = 0;
    const workers: Runner[] = [];
    const pgPool = anchorPool(url, RUNNERS * (CAPACITY + 2));
    for (let i = 0; i < RUNNERS; i++) {
      workers.push(
        await runWorker({
          pgPool,
          concurrency: CAPACITY,
          noHandleSignals: true,
          pollInterval: 2000,
          logger: new Logger(() => () => {}),
          taskList: {
            run: async (payload) => {
              await execa("sh", ["-c", `echo "${(payload as { id: number }).id}" >> ${gwLog}`], { stdin: "ignore", detached: true, cleanup: false });
              done++;
            },
          },
        }),
      );
    }
    const g0 = performance.now();
    await sql(url, `SELECT count(graphile_worker.add_job('run', json_build_object('id', g))) FROM generate_series(1, $1::int) g`, [N]);
    await until(async () => done >= N, 20, 600_000, "graphile-worker jobs");
    const gwSecs = (performance.now() - g0) / 1000;
    for (const w of workers) await w.stop();
    await pgPool.end();
    const gwRan = new Set(fs.readFileSync(gwLog, "utf8").split("\n").filter(Boolean)).size;
    if (gwRan !== N) throw new Error(`graphile-worker ran ${gwRan} distinct jobs of ${N}`);

    console.log(`  statements per session, most frequent first:`);
    for (const t of top) console.log(`    ${(t.calls / N).toFixed(2).padStart(6)}  ${t.query}`);
    report.add({
      part: "throughput",
      name: `sessions/s, ${RUNNERS} runners × ${CAPACITY}, ${N} sessions / ${STORIES} stories`,
      unit: "1/s",
      drover: N / secs,
      anchorName: `graphile-worker ${RUNNERS}×${CAPACITY}, same command`,
      anchor: N / gwSecs,
    });
    report.add({ part: "throughput", name: "sessions run twice / missing", unit: "count", drover: doubles + (N - ran.length), goal: "0" });
    report.add({
      part: "throughput",
      name: "database statements per session",
      unit: "stmts",
      drover: statements / N,
      note: "pg_stat_statements, incl. BEGIN/COMMIT, heartbeats, polls",
    });
    report.add({ part: "throughput", name: "runner CPU per session (4 runners)", unit: "ms", drover: (1000 * runnerCpu) / N });
    report.add({ part: "throughput", name: "runner CPU share of the wall time", unit: "cores", drover: runnerCpu / secs, note: "of 2 cores" });
    report.add({
      part: "throughput",
      name: "slot time per session (claim → final status), mean",
      unit: "ms",
      drover: phase!.slot,
      note: `claim→spawn ${phase!.claim_to_spawn.toFixed(0)} ms, spawn→end ${phase!.spawn_to_end.toFixed(0)} ms`,
    });
    report.add({ part: "throughput", name: `warm-up: first session of each story (worktree), ${STORIES}`, unit: "s", drover: warmSecs });
    await db.$disconnect();
  },
};
