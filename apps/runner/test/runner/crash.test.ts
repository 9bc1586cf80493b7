// A runner killed with SIGKILL: its agents' process groups die within seconds (the guard), the
// sessions are interrupted when the lease expires and a second runner resumes them; a runner
// restarted with the same id reaps process groups even when the guard died too.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { groupAlive, makeRepo, seedProject, seedSession, spawnRunner, waitFor, type RunnerProcess } from "./helpers.ts";

let t: TestDatabase;
const runners: RunnerProcess[] = [];
let dataDir: string;

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-crash-data-"));
});

afterAll(async () => {
  if (process.env.DROVER_TEST_SHOW_RUNNERS) for (const x of [...runners]) if (x) console.log(`--- runner ${x.id}\n${x.output()}`);
  for (const r of runners) r.proc.kill("SIGKILL");
  await Promise.all(runners.map((r) => r.proc));
  await t?.drop();
});

// First run: leave a marker in the worktree and hang; the resumed run finds it and finishes.
const AGENT = [
  "sh",
  "-c",
  'cat > /dev/null; if [ -e .ran-once ]; then echo "resumed in session $DROVER_SESSION_ID"; exit 0; fi; touch .ran-once; echo started; sleep 300 & sleep 300 & wait',
];

const runningWithGroups = (ids: number[]) =>
  waitFor(
    async () => {
      const rows = await t.db.agentSession.findMany({ where: { id: { in: ids } } });
      const ok = rows.length === ids.length && rows.every((r) => r.status === "running" && r.pgid && groupAlive(r.pgid));
      const printed = await t.db.sessionEvent.count({ where: { sessionId: { in: ids }, kind: "text", text: "started" } });
      return ok && printed === ids.length ? rows : undefined;
    },
    "agents running",
    90_000,
    200,
  );

function guardPidOf(runnerPid: number): number | undefined {
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === runnerPid && fs.readFileSync(`/proc/${d}/cmdline`, "utf8").includes("guard.mjs")) return Number(d);
    } catch {
      /* raced with an exit */
    }
  }
  return undefined;
}

it("kill -9 with 5 running agents: groups die, sessions interrupted within the lease, a second runner resumes them", { timeout: 240_000 }, async () => {
  const p = await seedProject(t.db, await makeRepo());
  const sessions = [];
  for (let i = 1; i <= 5; i++) sessions.push(await seedSession(t.db, p.id, { command: AGENT, storyNumber: i }));
  const ids = sessions.map((s) => s.id);
  const lease = ["--lease-secs", "4", "--heartbeat-secs", "1", "--poll-ms", "300", "--capacity", "5"];
  const a = await spawnRunner(t.url, lease, path.join(dataDir, "a"));
  runners.push(a);
  const rows = await runningWithGroups(ids);
  expect(new Set(rows.map((r) => r.runnerId))).toEqual(new Set([a.id]));

  process.kill(a.pid, "SIGKILL");
  const killedAt = Date.now();
  await a.proc;
  // the guard takes the groups down within seconds
  await waitFor(async () => rows.every((r) => !groupAlive(r.pgid!)), "agent process groups to die", 10_000, 100);
  expect(Date.now() - killedAt).toBeLessThan(10_000);

  const leases = (await t.db.agentSession.findMany({ where: { id: { in: ids } } })).map((s) => s.leaseExpiresAt!.getTime());
  const b = await spawnRunner(t.url, lease, path.join(dataDir, "b"));
  runners.push(b);
  const bReady = Date.now();
  const interrupted = await waitFor(
    async () => {
      const r = await t.db.agentSession.findMany({ where: { id: { in: ids } } });
      return r.every((s) => s.status === "interrupted") ? r : undefined;
    },
    "sessions interrupted",
    30_000,
    200,
  );
  for (const s of interrupted) {
    expect(s.reason).toBe("runner_lost");
    // never before the lease ran out, and promptly once a live runner could see it had
    expect(s.finishedAt!.getTime()).toBeGreaterThanOrEqual(Math.max(...leases) - 50);
    expect(s.finishedAt!.getTime() - Math.max(bReady, ...leases)).toBeLessThan(5_000);
  }
  const events = await t.db.projectEvent.findMany({ where: { sessionId: { in: ids }, kind: "session_interrupted" } });
  expect(events).toHaveLength(5);

  const resumed = await waitFor(
    async () => {
      const r = await t.db.agentSession.findMany({ where: { resumeOfId: { in: ids } } });
      return r.length === 5 && r.every((s) => s.status === "completed") ? r : undefined;
    },
    "resumed sessions to complete",
    90_000,
    250,
  );
  for (const s of resumed) {
    expect(s.runnerId).toBe(b.id);
    expect(s.trigger).toBe("recovery");
    const text = await t.db.sessionEvent.findFirst({ where: { sessionId: s.id, kind: "text" } });
    expect(text?.text).toBe(`resumed in session ${s.id}`);
  }
  process.kill(b.pid, "SIGTERM");
  expect((await b.proc).exitCode).toBe(0);
});

it("a runner restarted with the same id reaps the groups its dead predecessor left (guard dead too)", { timeout: 180_000 }, async () => {
  const p = await seedProject(t.db, await makeRepo());
  const sessions = [];
  for (let i = 1; i <= 2; i++) sessions.push(await seedSession(t.db, p.id, { command: ["sh", "-c", "echo started; sleep 300 & wait"], storyNumber: i }));
  const ids = sessions.map((s) => s.id);
  const args = [
    "--id",
    "reaper-test",
    "--no-recover",
    "--grace-secs",
    "2",
    "--lease-secs",
    "60",
    "--heartbeat-secs",
    "1",
    "--poll-ms",
    "300",
    "--capacity",
    "2",
  ];
  const a = await spawnRunner(t.url, args, path.join(dataDir, "c"));
  runners.push(a);
  const rows = await runningWithGroups(ids);
  const guard = guardPidOf(a.pid);
  expect(guard).toBeDefined();
  process.kill(guard!, "SIGKILL");
  process.kill(a.pid, "SIGKILL");
  await a.proc;
  await new Promise((r) => setTimeout(r, 2_500)); // longer than the guard's own grace would be
  expect(rows.every((r) => groupAlive(r.pgid!))).toBe(true); // orphans: nobody killed them

  const again = await spawnRunner(t.url, args, path.join(dataDir, "c"));
  runners.push(again);
  await waitFor(async () => rows.every((r) => !groupAlive(r.pgid!)), "leftover groups reaped", 30_000, 100);
  const after = await t.db.agentSession.findMany({ where: { id: { in: ids } } });
  expect(after.map((s) => [s.status, s.reason])).toEqual([
    ["interrupted", "runner_lost"],
    ["interrupted", "runner_lost"],
  ]);
  process.kill(again.pid, "SIGTERM");
  expect((await again.proc).exitCode).toBe(0);
});
