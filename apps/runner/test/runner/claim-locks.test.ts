// A claim takes its row locks in one order (a coder's project, then the story, then the agent), so
// claims never deadlock with each other or with the services that lock a story then its agents:
// while another transaction holds the agent, a waiting claim already holds the story (and, for a
// coder, the project). The claim then goes on once the agent is free.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { claimNext } from "../../src/runner/claim.ts";
import { makeRepo, seedProject, seedSession } from "./helpers.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.runner.create({ data: { id: "r-locks", host: "h", pid: 1, capacity: 4 } });
});
afterAll(() => t?.drop());

const reach = { unreachable: [] as number[], reachable: () => true };

/** Whether another connection can lock the row now (NOWAIT: 55P03 when someone holds it). */
async function lockedElsewhere(table: "projects" | "stories", id: number): Promise<boolean> {
  const c = new pg.Client({ connectionString: t.url });
  await c.connect();
  try {
    await c.query("BEGIN");
    await c.query(`SELECT id FROM ${table} WHERE id = $1 FOR UPDATE NOWAIT`, [id]);
    return false;
  } catch (e) {
    if ((e as { code?: string }).code === "55P03") return true;
    throw e;
  } finally {
    await c.query("ROLLBACK").catch(() => {});
    await c.end();
  }
}

describe("claim row locks", () => {
  for (const stage of ["coder", "qa"] as const) {
    it(`a ${stage} claim waiting on its agent holds the story${stage === "coder" ? " and the project" : " only"}, then claims`, async () => {
      const p = await seedProject(t.db, makeRepo());
      const s = await seedSession(t.db, p.id, { command: ["true"], stage });
      const holder = new pg.Client({ connectionString: t.url });
      await holder.connect();
      await holder.query("BEGIN");
      await holder.query("SELECT id FROM agents WHERE id = $1 FOR UPDATE", [s.agentId]);
      const claiming = claimNext(t.db, "r-locks", 60, reach);
      try {
        // Until the claim is waiting on the agent (its statement sits in a lock wait).
        for (let i = 0; ; i++) {
          await holder.query("SELECT pg_stat_clear_snapshot()"); // inside a transaction the view is a snapshot
          const { rows } = await holder.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM%agents%FOR UPDATE%'",
          );
          if (rows[0]!.n > 0) break;
          if (i > 200) throw new Error("the claim never waited on the agent's lock");
          await new Promise((r) => setTimeout(r, 25));
        }
        expect(await lockedElsewhere("stories", s.storyId)).toBe(true);
        expect(await lockedElsewhere("projects", p.id)).toBe(stage === "coder");
      } finally {
        await holder.query("COMMIT");
        await holder.end();
      }
      expect((await claiming)?.id).toBe(s.id);
    });
  }
});
