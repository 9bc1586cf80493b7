// Event ingestion: one runner process, 20 Claude Code agents at once, each a stand-in `claude`
// on the runner's PATH that replays a recorded stream-json transcript (ok.jsonl, with the
// partial-message stream_event lines of retry.jsonl) as fast as its stdout takes it. Figures:
// events stored per second, runner CPU per 1,000 events, and stdout line → live client latency.
// The live client is the web server's own path: its LISTEN hub (packages/api/src/live/hub.ts)
// yields each drover_session_events hint, then the web's tRPC views.sessionEvents reads the new
// rows; latency = read time − the print time the stand-in wrote into each text line.
import { setMaxListeners } from "node:events";
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
import { sql } from "../lib/postgres.ts";
import { cpuSeconds, p95, median, until } from "../lib/stats.ts";

const STAMP = "bench-printed-at:";

/** A node script standing in for `claude`: prints `cycles` transcript cycles, then the result. */
function standInClaude(binDir: string, cycles: number): void {
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
process.stdin.resume(); process.stdin.on("data", () => {}); process.stdin.on("end", pump);
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
    standInClaude(binDir, CYCLES);
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
      const warm = await insert("warm");
      await notify(db, CHANNELS.sessions, { projectId: project.id });
      await finished(warm.map((s) => s.id));

      // Live clients: one subscription per session, as 20 open log pages would hold.
      const caller = createCallerFactory(appRouter)(testContext(db));
      const abort = new AbortController();
      setMaxListeners(0, abort.signal); // one listener per follower
      const latencies: number[] = [];
      const seen = new Map<number, number>();
      let reads = 0;
      const follow = async (sessionId: number) => {
        for await (const p of getHub(url).stream("sessionEvents", abort.signal, (p) => Number(p.sessionId) === sessionId)) {
          const lastSeq = Number(p.lastSeq);
          let from = (seen.get(sessionId) ?? 0) + 1;
          while (from <= lastSeq) {
            const to = Math.min(lastSeq, from + 4999);
            const rows = await caller.views.sessionEvents({ sessionId, fromSeq: from, toSeq: to });
            reads++;
            const now = Date.now();
            for (const r of rows) if (r.text?.startsWith(STAMP)) latencies.push(now - Number(r.text.slice(STAMP.length)));
            from = to + 1;
          }
          seen.set(sessionId, Math.max(seen.get(sessionId) ?? 0, lastSeq));
        }
      };

      const sessions = await insert("go");
      const ids = sessions.map((s) => s.id);
      const followers = ids.map((id) => follow(id));
      await new Promise((r) => setTimeout(r, 200)); // the hub's LISTEN connection is up
      const cpu0 = cpuSeconds(runner.pid!);
      const t0 = performance.now();
      await notify(db, CHANNELS.sessions, { projectId: project.id });
      await finished(ids);
      const secs = (performance.now() - t0) / 1000;
      const cpu = cpuSeconds(runner.pid!) - cpu0;
      await new Promise((r) => setTimeout(r, 500)); // the last hints reach the clients
      abort.abort();
      await Promise.allSettled(followers);

      const [st] = await sql<{ events: number; failed: number }>(
        url,
        `SELECT (SELECT count(*)::int FROM session_events WHERE session_id = ANY($1)) AS events,
                (SELECT count(*)::int FROM agent_sessions WHERE id = ANY($1) AND status <> 'completed') AS failed`,
        [ids],
      );
      const expected = AGENTS * CYCLES * 4;
      console.log(
        `  ${st!.events} events stored (${expected} from the transcripts + status lines) in ${secs.toFixed(1)} s; ${reads} live reads; sessions not completed: ${st!.failed}`,
      );
      if (st!.failed > 0 || st!.events < expected) throw new Error(`ingestion lost work: ${st!.events} events stored, ${st!.failed} sessions not completed`);
      report.add({ part: "ingestion", name: `events stored per second (1 runner, ${AGENTS} agents)`, unit: "1/s", drover: st!.events / secs, goal: "≥ 20000" });
      report.add({ part: "ingestion", name: "runner CPU per 1,000 events", unit: "ms", drover: (1000 * cpu * 1000) / st!.events });
      report.add({ part: "ingestion", name: `stdout line → live client, median (n=${latencies.length})`, unit: "ms", drover: median(latencies) });
      report.add({ part: "ingestion", name: "stdout line → live client, p95", unit: "ms", drover: p95(latencies), goal: "≤ 250" });
    } finally {
      await stopProcess(runner);
      await db.$disconnect();
    }
  },
};
