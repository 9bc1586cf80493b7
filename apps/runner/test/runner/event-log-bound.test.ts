// What a runner crash can lose of an agent's output: the events read from its pipe and not yet
// written. While the database lags, the log pauses its producer once 256 kB is queued, so that is
// the bound; once writes go on, everything lands in order, in batches, each with its live hint.
import { afterAll, beforeAll, expect, it } from "vitest";
import type pg from "pg";
import { pino } from "pino";
import type { Db } from "@drover/db";
import { pgPool } from "@drover/db/client";
import { CHANNELS, listen } from "@drover/db/notify";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { EventBudget, SessionEventLog } from "../../src/runner/event-log.ts";
import { makeRepo, seedProject, seedSession } from "./helpers.ts";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.drop();
});

it("a flooding producer is paused with at most 256 kB unwritten; then every event is stored in order, one hint per batch", { timeout: 60_000 }, async () => {
  const p = await seedProject(t.db, await makeRepo());
  const s = await seedSession(t.db, p.id, { command: ["true"] });
  // The database lags: every write waits until the gate opens (its statements are not lost).
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const pool = pgPool(t.db)!;
  const slowPool = {
    query: async (text: string, values: unknown[]) => {
      await gate;
      return pool.query(text, values);
    },
  } as unknown as pg.Pool;
  const db = new Proxy({} as Db, { get: (_o, k) => (typeof k === "symbol" && (Reflect.get(t.db, k) as unknown) === pool ? slowPool : Reflect.get(t.db, k)) });
  const hints: number[] = [];
  const listener = listen(t.url, [CHANNELS.sessionEvents], (_c, payload) => {
    if (payload.sessionId === s.id) hints.push(Number(payload.lastSeq));
  });
  await new Promise((r) => setTimeout(r, 300)); // LISTEN is up
  const log = new SessionEventLog(db, s.id, { attempt: 1, runnerId: "x" }, 1, new EventBudget(1_000_000), pino({ level: "silent" }));
  let paused = false;
  log.setProducer({ pause: () => (paused = true), resume: () => (paused = false) });
  const line = "x".repeat(1000);
  let n = 0;
  while (!paused && n < 20_000) {
    n++;
    log.pushOutput([{ kind: "text", text: `${n} ${line}`, raw: `${n} ${line}` }], line.length + 8);
  }
  expect(paused).toBe(true);
  // Each of these events counts ~3 kB in the queue (text twice, raw once): 256 kB is ~85 of them.
  expect(n).toBeGreaterThan(60);
  expect(n).toBeLessThan(100);
  open();
  await log.drain();
  expect(paused).toBe(false);
  const rows = await t.db.sessionEvent.findMany({ where: { sessionId: s.id }, orderBy: { seq: "asc" }, select: { seq: true, text: true } });
  expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  expect(rows.every((r, i) => r.text === `${i + 1} ${line}`)).toBe(true);
  await new Promise((r) => setTimeout(r, 300)); // the last hint arrives
  await listener.close();
  // Hints come per batch (fewer than the events), in order, the last one naming the last event.
  expect(hints.length).toBeGreaterThan(0);
  expect(hints.length).toBeLessThan(n / 10);
  expect(hints).toEqual([...hints].sort((a, b) => a - b));
  expect(hints.at(-1)).toBe(n);
});

it("a literal backslash-u0000 in output is kept as printed; only a real NUL is replaced", { timeout: 60_000 }, async () => {
  const p = await seedProject(t.db, await makeRepo());
  const s = await seedSession(t.db, p.id, { command: ["true"] });
  const log = new SessionEventLog(t.db, s.id, { attempt: 1, runnerId: "x" }, 1, new EventBudget(100), pino({ level: "silent" }));
  const printed = String.raw`{"a":"\u0000"} and \\u0000 and \\\u0000`;
  log.push({ kind: "text", text: printed, raw: `${printed}\0` });
  await log.drain();
  const row = await t.db.sessionEvent.findFirstOrThrow({ where: { sessionId: s.id } });
  expect([row.text, row.raw, (row.payload as { text: string }).text]).toEqual([printed, `${printed}\uFFFD`, printed]);
});
