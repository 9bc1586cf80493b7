// Two transactions that lock the same two rows in opposite orders deadlock; Postgres aborts one.
// inTx runs the aborted one again, so both callers succeed (the user saw Prisma's "write conflict
// or a deadlock" text as a start error before).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTx, isWriteConflict } from "../../src/services/tx.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.$executeRawUnsafe("CREATE TABLE lock_pair (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)");
  await t.db.$executeRawUnsafe("INSERT INTO lock_pair (id) VALUES (1), (2)");
}, 120_000);
afterAll(() => t?.drop());

/** Locks `first`, waits until the other side holds its first row too, then locks `second`. */
function crossing(first: number, second: number, bothHoldFirst: Promise<void>, holds: () => void, attempts: number[]) {
  return inTx(t.db, async (tx) => {
    attempts.push(first);
    await tx.$executeRaw`UPDATE lock_pair SET n = n + 1 WHERE id = ${first}`;
    holds();
    await bothHoldFirst;
    await tx.$executeRaw`UPDATE lock_pair SET n = n + 1 WHERE id = ${second}`;
    return first;
  });
}

describe("inTx under a deadlock", () => {
  it("runs the aborted side again: both transactions commit, each once", async () => {
    let held = 0;
    let release!: () => void;
    const bothHoldFirst = new Promise<void>((r) => (release = r));
    const holds = () => {
      if (++held === 2) release();
    };
    const attempts: number[] = [];
    const results = await Promise.all([crossing(1, 2, bothHoldFirst, holds, attempts), crossing(2, 1, bothHoldFirst, holds, attempts)]);
    expect(results.sort()).toEqual([1, 2]);
    // One side was aborted by Postgres and ran again.
    expect(attempts.length).toBe(3);
    const rows = await t.db.$queryRawUnsafe<{ id: number; n: number }[]>("SELECT id, n FROM lock_pair ORDER BY id");
    expect(rows).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 2 },
    ]);
  });

  it("tells a deadlock from other errors", () => {
    expect(isWriteConflict({ code: "P2034", message: "Transaction failed due to a write conflict or a deadlock" })).toBe(true);
    expect(isWriteConflict({ code: "P2010", message: "Raw query failed. Code: `40P01`. Message: `deadlock detected`" })).toBe(true);
    expect(isWriteConflict({ code: "P2002", message: "Unique constraint failed" })).toBe(false);
    expect(isWriteConflict(new Error("No story 4 in project 1"))).toBe(false);
  });
});
