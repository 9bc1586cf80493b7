// The session event log while the database is unreachable: events are held up to the runner's
// bound, the overflow is counted and written as an event in its place, and order is kept.
import { afterAll, beforeAll, expect, it } from "vitest";
import { pino } from "pino";
import { createDb, type Db } from "@drover/db";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { EventBudget, SessionEventLog } from "../../src/runner/event-log.ts";
import { makeRepo, seedProject, seedSession } from "./helpers.ts";

let t: TestDatabase;
let dead: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  dead = createDb("postgresql://nobody:nothing@127.0.0.1:9/none", { max: 1 });
});

afterAll(async () => {
  await dead?.$disconnect().catch(() => {});
  await t?.drop();
});

it("holds events while the database is away, counts what overflowed, then flushes in order", { timeout: 60_000 }, async () => {
  const p = await seedProject(t.db, await makeRepo());
  const s = await seedSession(t.db, p.id, { command: ["true"] });
  await t.db.agentSession.update({ where: { id: s.id }, data: { status: "running", runnerId: null, attempt: 1 } });
  // The log's database handle switches from a dead server to the live one, as after a reconnect.
  let current: Db = dead;
  const db = new Proxy({} as Db, { get: (_o, k) => Reflect.get(current, k) });
  const budget = new EventBudget(5);
  const log = new SessionEventLog(db, s.id, { attempt: 1, runnerId: "x" }, 1, budget, pino({ level: "silent" }));
  for (let i = 1; i <= 12; i++) log.push({ kind: "text", text: `line-${i}`, raw: `line-${i}` });
  expect(budget.held).toBe(5);
  expect(budget.dropped).toBe(7);
  await new Promise((r) => setTimeout(r, 1_500)); // its timed flushes fail and keep retrying
  expect(log.pending).toBe(5);
  current = t.db;
  await log.drain();
  const rows = await t.db.sessionEvent.findMany({ where: { sessionId: s.id }, orderBy: { seq: "asc" } });
  expect(rows.map((r) => [r.seq, r.text])).toEqual([
    [1, "line-1"],
    [2, "line-2"],
    [3, "line-3"],
    [4, "line-4"],
    [5, "line-5"],
    [6, "7 events dropped: the database was unreachable and the runner's buffer was full"],
  ]);
  expect(rows[0].raw).toBe("line-1");
  expect(budget.held).toBe(0);
});

it("with the database up, an overflow is marked as the write queue's, not as the database's", { timeout: 60_000 }, async () => {
  const p = await seedProject(t.db, await makeRepo());
  const s = await seedSession(t.db, p.id, { command: ["true"] });
  const budget = new EventBudget(5);
  const log = new SessionEventLog(t.db, s.id, { attempt: 1, runnerId: "x" }, 1, budget, pino({ level: "silent" }));
  for (let i = 1; i <= 12; i++) log.push({ kind: "text", text: `line-${i}`, raw: `line-${i}` });
  await log.drain();
  const rows = await t.db.sessionEvent.findMany({ where: { sessionId: s.id }, orderBy: { seq: "asc" } });
  expect(rows.map((r) => r.text)).toEqual(["line-1", "line-2", "line-3", "line-4", "line-5", "7 events dropped: the runner's write queue was full"]);
});

it("a NUL byte in the agent's output is stored replaced, not retried forever", { timeout: 60_000 }, async () => {
  const p = await seedProject(t.db, await makeRepo());
  const s = await seedSession(t.db, p.id, { command: ["true"] });
  const log = new SessionEventLog(t.db, s.id, { attempt: 1, runnerId: "x" }, 1, new EventBudget(100), pino({ level: "silent" }));
  log.push({ kind: "text", text: "a\0b", raw: "a\0b" });
  const stored = await Promise.race([log.drain().then(() => true), new Promise((r) => setTimeout(() => r(false), 5_000))]);
  expect(stored).toBe(true);
  const row = await t.db.sessionEvent.findFirstOrThrow({ where: { sessionId: s.id } });
  expect([row.text, row.raw, (row.payload as { text: string }).text]).toEqual(["a\uFFFDb", "a\uFFFDb", "a\uFFFDb"]);
});
