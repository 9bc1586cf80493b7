// SIGTERM with running agents: the runner stops claiming, signals the agents, waits the grace,
// kills what remains, stores every event, marks the sessions interrupted (runner_shutdown),
// releases the leases and exits 0. Driven through `pnpm exec tsx ... runner`, as other suites do.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { groupAlive, makeRepo, seedProject, seedSession, spawnRunner, waitFor, type RunnerProcess } from "./helpers.ts";

let t: TestDatabase;
let r: RunnerProcess | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  if (process.env.DROVER_TEST_SHOW_RUNNERS) for (const x of [r]) if (x) console.log(`--- runner ${x.id}\n${x.output()}`);
  r?.proc.kill("SIGKILL");
  await r?.proc;
  await t?.drop();
});

it("SIGTERM: agents signalled, stragglers killed after the grace, events stored, sessions interrupted, exit 0", { timeout: 180_000 }, async () => {
  const p = await seedProject(t.db, await makeRepo());
  // A polite agent: on SIGTERM it writes 500 more lines, then exits.
  const polite = await seedSession(t.db, p.id, {
    storyNumber: 1,
    command: ["sh", "-c", "trap 'i=0; while [ $i -lt 500 ]; do i=$((i+1)); echo \"bye-$i\"; done; exit 0' TERM; echo started; while :; do sleep 0.2; done"],
  });
  // A stubborn one: ignores SIGTERM; only the SIGKILL after the grace ends it.
  const stubborn = await seedSession(t.db, p.id, { storyNumber: 2, command: ["sh", "-c", "trap '' TERM; echo started; while :; do sleep 0.2; done"] });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-shutdown-data-"));
  r = await spawnRunner(t.url, ["--grace-secs", "2", "--heartbeat-secs", "1", "--poll-ms", "300", "--lease-secs", "30"], dataDir, { viaPnpm: true });
  const ids = [polite.id, stubborn.id];
  const rows = await waitFor(
    async () => {
      const rs = await t.db.agentSession.findMany({ where: { id: { in: ids } } });
      const started = await t.db.sessionEvent.count({ where: { sessionId: { in: ids }, text: "started" } });
      return started === 2 && rs.every((s) => s.pgid) ? rs : undefined;
    },
    "both agents started",
    90_000,
    200,
  );

  // A session that becomes pending now must not be claimed once the shutdown began.
  process.kill(r.pid, "SIGTERM");
  const late = await seedSession(t.db, p.id, { storyNumber: 3, command: ["sh", "-c", "echo should-not-run"] });
  const res = await r.proc;
  expect(res.exitCode).toBe(0);
  for (const row of rows) expect(groupAlive(row.pgid!)).toBe(false);

  const ended = await t.db.agentSession.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
  for (const s of ended) {
    expect(s.status).toBe("interrupted");
    expect(s.reason).toBe("runner_shutdown");
    expect(s.leaseExpiresAt).toBeNull();
  }
  const bye = await t.db.sessionEvent.findMany({ where: { sessionId: polite.id, kind: "text" }, orderBy: { seq: "asc" } });
  expect(bye.map((e) => e.text)).toEqual(["started", ...Array.from({ length: 500 }, (_, i) => `bye-${i + 1}`)]);
  const last = await t.db.sessionEvent.findFirst({ where: { sessionId: stubborn.id }, orderBy: { seq: "desc" } });
  expect(last?.text).toMatch(/interrupted \(runner_shutdown\)/);
  expect((await t.db.agentSession.findUniqueOrThrow({ where: { id: late.id } })).status).toBe("pending");
  const runner = await t.db.runner.findUniqueOrThrow({ where: { id: r.id } });
  expect(runner.stoppedAt).not.toBeNull();
  // and their resumes wait for the next runner
  const resumes = await t.db.agentSession.findMany({ where: { resumeOfId: { in: ids } } });
  expect(resumes.map((s) => s.status)).toEqual(["pending", "pending"]);
});
