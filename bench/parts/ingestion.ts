// Event ingestion: one runner process, 20 Claude Code agents at once, each a stand-in `claude`
// on the runner's PATH that replays a recorded stream-json transcript (ok.jsonl, with the
// partial-message stream_event lines of retry.jsonl) as fast as its stdout takes it. Figures:
// events stored per second, runner CPU per 1,000 events, and stdout line → live client latency.
// The live client is the web server's own path: its LISTEN hub (packages/api/src/live/hub.ts)
// yields each drover_session_events hint, then the web's tRPC views.sessionEvents reads the new
// rows; latency = read time − the print time the stand-in wrote into each text line.
// Timed: from the moment every agent is running (its init line stored) and told to go, to the
// moment the last result is stored, counting only the events stored in between: ingestion, not
// the dispatch of the sessions (sandbox starts spread them over seconds, so before this the 20
// agents rarely streamed at once) nor their ends.
import { setMaxListeners } from "node:events";
import { monitorEventLoopDelay } from "node:perf_hooks";
import fs from "node:fs";
import path from "node:path";
import { createDb } from "../../packages/db/src/client.ts";
import { CHANNELS, notify } from "../../packages/db/src/notify.ts";
import { appRouter } from "../../packages/api/src/root.ts";
import { createCallerFactory } from "../../packages/api/src/trpc.ts";
import { testContext } from "../../packages/api/testing/context.ts";
import { getHub } from "../../packages/api/src/live/hub.ts";
import { makeProject, ROOT, spawnRunner, stopProcess } from "../lib/fixture.ts";
import { makeRepo } from "../../packages/repo/testing/make-repo.ts";
import type { Part } from "../lib/part.ts";
import { probeClient, sql } from "../lib/postgres.ts";
import { cpuSeconds, p95, median, treeCpuSeconds, until } from "../lib/stats.ts";

const STAMP = "bench-printed-at:";

/** A node script standing in for `claude`: prints its init line, waits for `go`, then prints `cycles` transcript cycles and the result. */
function standInClaude(binDir: string, go: string, cycles: number): void {
  const dir = path.join(ROOT, "packages/core/test/fixtures/transcripts/claude");
  const ok = fs.readFileSync(path.join(dir, "ok.jsonl"), "utf8").trim().split("\n");
  const partial = fs
    .readFileSync(path.join(dir, "retry.jsonl"), "utf8")
    .trim()
    .split("\n")
    .filter((l) => l.includes('"type":"stream_event"'));
  const [init, ...rest] = ok;
  const result = rest.pop()!;
  // One cycle: the partial deltas, then the complete messages (text, tool call, tool result, text).
  const body = [...partial, ...rest];
  const script = `#!${process.execPath}
const init = ${JSON.stringify(init)}, result = ${JSON.stringify(result)}, body = ${JSON.stringify(body)};
const stamp = (line) => line.replace(/"text":"[^"]*"/, () => '"text":"${STAMP}' + Date.now() + '"');
let left = ${cycles};
process.stdout.write(init + "\\n");
// One cycle per write, stamped just before it: a pipe write is synchronous on Linux, so the stamp
// is when the line reaches the pipe (a bigger chunk would count its own write time as latency).
function pump() {
  while (left > 0) {
    left--;
    if (!process.stdout.write(body.map((l) => (l.includes('"type":"assistant"') ? stamp(l) : l)).join("\\n") + "\\n")) return process.stdout.once("drain", pump);
  }
  process.stdout.write(result + "\\n");
}
// All agents stream at once: each waits, once started, for the bench's go file (its folder is mounted in the sandbox).
const wait = () => (require("node:fs").existsSync(${JSON.stringify(go)}) ? pump() : setTimeout(wait, 5));
process.stdin.resume(); process.stdin.on("data", () => {}); process.stdin.on("end", wait);
`;
  fs.mkdirSync(binDir, { recursive: true });
  fs.writeFileSync(path.join(binDir, "claude"), script, { mode: 0o755 });
}

export const ingestion: Part = {
  name: "ingestion",
  async run({ quick, pg, report, tmp }) {
    const AGENTS = quick ? 5 : 20;
    const CYCLES = quick ? 25 : 1250; // 4 stored events per cycle (text, tool call, tool result, text)
    const url = await pg.database("bench_ingestion");
    process.env.DATABASE_URL = url; // the web modules read it
    const db = createDb(url, { max: 4 });
    const repo = makeRepo({ dir: path.join(tmp, "repo") });
    const binDir = path.join(tmp, "bin");
    const go = path.join(binDir, "go");
    standInClaude(binDir, go, CYCLES);
    const { project, stories, agents } = await makeProject(db, repo, {
      stories: AGENTS,
      agents: Array.from({ length: AGENTS }, (_, i) => ({ name: `claude-${i}`, runtime: "claude-code" })),
    });
    // A runner claims Claude sessions only with a Claude credential; the stand-in ignores it.
    const runner = await spawnRunner(db, {
      databaseUrl: url,
      id: "bench-ingest",
      capacity: AGENTS,
      dataDir: path.join(tmp, "runner"),
      pathPrefix: binDir,
      env: { ANTHROPIC_API_KEY: "bench-stand-in" },
    });
    try {
      const insert = (tag: string) =>
        db.agentSession.createManyAndReturn({
          data: agents.map((a, i) => ({
            projectId: project.id,
            storyId: stories[i]!.id,
            agentId: a.id,
            stage: "other" as const,
            runtime: "claude-code",
            prompt: tag,
          })),
          select: { id: true },
        });
      const finished = (ids: number[]) =>
        until(
          async () => (await db.agentSession.count({ where: { id: { in: ids }, finishedAt: { not: null } } })) === ids.length,
          100,
          600_000,
          "the agents to finish",
        );

      // Warm-up (not timed): worktrees for the 20 stories.
      fs.writeFileSync(go, "");
      const warm = await insert("warm");
      await notify(db, CHANNELS.sessions, { projectId: project.id });
      await finished(warm.map((s) => s.id));
      fs.rmSync(go);

      // Live clients: one subscription per session, as 20 open log pages would hold.
      const caller = createCallerFactory(appRouter)(testContext(db));
      const abort = new AbortController();
      setMaxListeners(0, abort.signal); // one listener per follower
      const latencies: number[] = [];
      const lags: number[] = []; // print → the runner's event time (reading the pipe), a part of the latency
      const hintLog = new Map<number, [number, number][]>(); // per session: [lastSeq, arrival]
      const stamped: { sessionId: number; seq: number; at: number }[] = [];
      const seen = new Map<number, number>();
      let reads = 0;
      // When each hint reaches the web process: a loop of its own, as a follower pulls its next hint
      // only after its reads (the hub buffers them meanwhile).
      const hintArrivals = (async () => {
        for await (const p of getHub(url).stream("sessionEvents", abort.signal)) {
          const id = Number(p.sessionId);
          hintLog.set(id, [...(hintLog.get(id) ?? []), [Number(p.lastSeq), Date.now()]]);
        }
      })();
      const follow = async (sessionId: number) => {
        for await (const p of getHub(url).stream("sessionEvents", abort.signal, (p) => Number(p.sessionId) === sessionId)) {
          const lastSeq = Number(p.lastSeq);
          let from = (seen.get(sessionId) ?? 0) + 1;
          while (from <= lastSeq) {
            const to = Math.min(lastSeq, from + 4999);
            const rows = await caller.views.sessionEvents({ sessionId, fromSeq: from, toSeq: to });
            reads++;
            const now = Date.now();
            for (const r of rows)
              if (r.text?.startsWith(STAMP)) {
                const printed = Number(r.text.slice(STAMP.length));
                latencies.push(now - printed);
                lags.push(r.at.getTime() - printed);
                stamped.push({ sessionId, seq: r.seq, at: r.at.getTime() });
              }
            from = to + 1;
          }
          seen.set(sessionId, Math.max(seen.get(sessionId) ?? 0, lastSeq));
        }
      };

      await sql(url, "SELECT pg_stat_statements_reset()");
      const sessions = await insert("go");
      const ids = sessions.map((s) => s.id);
      const followers = ids.map((id) => follow(id));
      const tRound = performance.now();
      await notify(db, CHANNELS.sessions, { projectId: project.id });
      // Timed from the moment all 20 agents are running (their init line stored) and told to go,
      // to the moment the last result is stored: ingestion alone, not the dispatch of the sessions.
      const probe = await probeClient(url);
      const count = async (where: string) =>
        (await probe.query<{ n: number }>(`SELECT count(*)::int AS n FROM agent_sessions WHERE id = ANY($1) AND ${where}`, [ids])).rows[0]!.n;
      await until(async () => (await count("runtime_session_id IS NOT NULL")) === ids.length, 50, 600_000, "the agents to start");
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      const benchCpu0 = process.cpuUsage();
      const cpu0 = cpuSeconds(runner.pid!);
      const pgCpu0 = treeCpuSeconds(process.pid, "postgres");
      // Only the events stored in the window count (not the start's status lines already stored).
      const storedBefore = (await probe.query<{ n: number }>("SELECT count(*)::int AS n FROM session_events WHERE session_id = ANY($1)", [ids])).rows[0]!.n;
      const t0 = performance.now();
      fs.writeFileSync(go, "");
      await until(async () => (await count("outcome IS NOT NULL")) === ids.length, 20, 600_000, "the agents' results to be stored");
      const secs = (performance.now() - t0) / 1000;
      const cpu = cpuSeconds(runner.pid!) - cpu0;
      const pgCpu = treeCpuSeconds(process.pid, "postgres") - pgCpu0;
      loopDelay.disable();
      const benchCpu = process.cpuUsage(benchCpu0);
      await probe.end();
      await finished(ids);
      const roundSecs = (performance.now() - tRound) / 1000;
      await new Promise((r) => setTimeout(r, 500)); // the last hints reach the clients
      abort.abort();
      await Promise.allSettled([...followers, hintArrivals]);

      const hints = stamped.map((x) => (hintLog.get(x.sessionId) ?? []).find(([last]) => last >= x.seq)![1] - x.at);
      if (process.env.BENCH_STATEMENTS)
        for (const r of await sql(
          url,
          `SELECT calls, round(total_exec_time) AS ms, round(mean_exec_time::numeric,2) AS mean, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS q FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12`,
        ))
          console.log(`   ${String(r.calls).padStart(6)} calls ${String(r.ms).padStart(6)} ms (mean ${r.mean}) ${String(r.rows).padStart(7)} rows  ${r.q}`);
      // inWindow: up to each session's result (the session end's status lines come after the window)
      const [st] = await sql<{ events: number; inWindow: number; failed: number }>(
        url,
        `SELECT (SELECT count(*)::int FROM session_events WHERE session_id = ANY($1)) AS events,
                (SELECT count(*)::int FROM session_events e WHERE e.session_id = ANY($1)
                   AND e.seq <= (SELECT max(r.seq) FROM session_events r WHERE r.session_id = e.session_id AND r.kind = 'result')) AS "inWindow",
                (SELECT count(*)::int FROM agent_sessions WHERE id = ANY($1) AND status <> 'completed') AS failed`,
        [ids],
      );
      const timed = st!.inWindow - storedBefore;
      const expected = AGENTS * CYCLES * 4;
      console.log(
        `  ${st!.events} events stored (${expected} from the transcripts + status lines), ${timed} of them in ${secs.toFixed(1)} s of streaming (${roundSecs.toFixed(1)} s with dispatch and session ends); ${reads} live reads; sessions not completed: ${st!.failed}`,
      );
      console.log(
        `  of the live latency, print → runner event time (pipe and parse): median ${median(lags)} ms, p95 ${p95(lags)} ms; runner CPU ${cpu.toFixed(2)} s; event time → hint at the web median ${median(hints)} p95 ${p95(hints)}; Postgres CPU ${pgCpu.toFixed(2)} s; bench CPU ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(2)} s, its event loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms`,
      );
      if (st!.failed > 0 || st!.events < expected) throw new Error(`ingestion lost work: ${st!.events} events stored, ${st!.failed} sessions not completed`);
      report.add({ part: "ingestion", name: `events stored per second (1 runner, ${AGENTS} agents)`, unit: "1/s", drover: timed / secs, goal: "≥ 20000" });
      report.add({ part: "ingestion", name: "runner CPU per 1,000 events", unit: "ms", drover: (1000 * cpu * 1000) / timed });
      report.add({ part: "ingestion", name: `stdout line → live client, median (n=${latencies.length})`, unit: "ms", drover: median(latencies) });
      report.add({ part: "ingestion", name: "stdout line → live client, p95", unit: "ms", drover: p95(latencies), goal: "≤ 250" });
    } finally {
      await stopProcess(runner);
      await db.$disconnect();
    }
  },
};
