// Benchmark: runner latency. Starts an embedded Postgres (temp folder) and one in-process runner
// (default options: LISTEN/NOTIFY wake-up, 2 s polling fallback), then measures
//  1. pending → process start: a pending session is inserted and NOTIFYed (as startAgent does);
//     time until the runner has spawned the agent (its recorded process start), over N sessions
//     run one after another on the same story (worktree reused, as in the pipeline);
//  2. stop request → process group gone: stop_requested_at + NOTIFY (as stopAgent does) on a
//     running agent (a shell with two children); time until no member of its process group runs
//     (zombies waiting for PID 1 to reap them count as gone), over M sessions.
// Usage: pnpm bench runner-latency [sessions=100] [stops=20]
process.env.LOG_LEVEL ??= "warn";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "../packages/db/src/client.ts";
import { startEmbeddedPostgres } from "../packages/db/src/embedded.ts";
import { applyMigrations } from "../packages/db/src/migrate.ts";
import { syncRosterText } from "../packages/db/testing/roster-text.ts";
import { CHANNELS, notify } from "../packages/db/src/notify.ts";
import { startRunner } from "../apps/runner/src/runner/start-runner.ts";
import { groupAlive } from "../apps/runner/src/runner/process-group.ts";

const N = Number(process.argv[2] ?? 100);
const STOPS = Number(process.argv[3] ?? 20);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drover-bench-runner-"));
fs.chmodSync(tmp, 0o755); // the server runs as the postgres user when we are root
const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, "db"), fast: true, preferredPort: 0 });
await applyMigrations(pg.url);
const db = createDb(pg.url);

const repo = path.join(tmp, "repo");
fs.mkdirSync(repo);
const git = (...a: string[]) => execFileSync("git", a, { cwd: repo });
git("init", "-q", "-b", "main");
fs.writeFileSync(path.join(repo, "README.md"), "bench\n");
git("add", ".");
git("-c", "user.name=b", "-c", "user.email=b@b", "commit", "-q", "-m", "init");

const project = await db.project.create({ data: { name: "bench", repoPath: repo, baseBranch: "main", config: {} } });
const story = await db.story.create({ data: { projectId: project.id, number: 1, slug: "bench", title: "Bench", stage: "current" } });
const quick = await db.agent.create({
  data: { projectId: project.id, name: "quick", stage: "coder", runtime: "command", config: { name: "quick", runtime: "command", command: ["true"] } },
});
const sleeper = await db.agent.create({
  data: {
    projectId: project.id,
    name: "sleeper",
    stage: "other",
    runtime: "command",
    config: { name: "sleeper", runtime: "command", command: ["sh", "-c", "echo up; sleep 300 & sleep 300 & wait"] },
  },
});

await syncRosterText(db, project.id); // the runner runs only what the stored roster text says

const runner = await startRunner({ databaseUrl: pg.url, dataDir: path.join(tmp, "runner") });

async function until<T>(fn: () => Promise<T | undefined | null | false>, everyMs = 2): Promise<T> {
  for (;;) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(1)} ms, p90 ${q(0.9).toFixed(1)} ms, worst ${s[s.length - 1].toFixed(1)} ms, best ${s[0].toFixed(1)} ms (n=${s.length})`;
};

// Warm-up: creates the story's worktree (not measured: a one-off per story).
const warm = await db.agentSession.create({
  data: { projectId: project.id, storyId: story.id, agentId: quick.id, stage: "coder", runtime: "command", prompt: "" },
});
await notify(db, CHANNELS.sessions, { sessionId: warm.id, projectId: project.id });
await until(async () => (await db.agentSession.findUnique({ where: { id: warm.id } }))?.finishedAt, 20);

const startLat: number[] = [];
for (let i = 0; i < N; i++) {
  const t0 = Date.now();
  const s = await db.agentSession.create({
    data: { projectId: project.id, storyId: story.id, agentId: quick.id, stage: "coder", runtime: "command", prompt: "" },
  });
  await notify(db, CHANNELS.sessions, { sessionId: s.id, projectId: project.id });
  const row = await until(async () => {
    const r = await db.agentSession.findUnique({ where: { id: s.id } });
    return r?.processStartedAt ? r : undefined;
  });
  startLat.push(row.processStartedAt!.getTime() - t0);
  await until(async () => (await db.agentSession.findUnique({ where: { id: s.id } }))?.finishedAt);
}

const stopLat: number[] = [];
for (let i = 0; i < STOPS; i++) {
  const s = await db.agentSession.create({
    data: { projectId: project.id, storyId: story.id, agentId: sleeper.id, stage: "other", runtime: "command", prompt: "" },
  });
  await notify(db, CHANNELS.sessions, { sessionId: s.id, projectId: project.id });
  const row = await until(async () => {
    const r = await db.agentSession.findUnique({ where: { id: s.id } });
    const up = await db.sessionEvent.count({ where: { sessionId: s.id, text: "up" } });
    return r?.pgid && up ? r : undefined;
  }, 10);
  const t0 = performance.now();
  await db.agentSession.update({ where: { id: s.id }, data: { stopRequestedAt: new Date() } });
  await notify(db, CHANNELS.sessions, { sessionId: s.id, projectId: project.id, stop: true });
  await until(async () => !groupAlive(row.pgid!), 1);
  stopLat.push(performance.now() - t0);
  await until(async () => (await db.agentSession.findUnique({ where: { id: s.id } }))?.status === "stopped", 10);
}

console.log(
  `host: ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log(`pending → process start: ${stats(startLat)}`);
console.log(`stop request → process group gone: ${stats(stopLat)}`);

await runner.stop();
await db.$disconnect();
await pg.stop();
fs.rmSync(tmp, { recursive: true, force: true });
