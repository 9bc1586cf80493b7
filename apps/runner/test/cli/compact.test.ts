// `drover compact` as a real child process: dry run lists, a run compacts and says how much, bad
// input is refused with what to fix.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { drover, fixtureRepo } from "./helpers.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("drover compact", { timeout: 300_000 }, () => {
  it("lists with --dry-run, compacts old finished sessions, and refuses a bad --older-than-days", async () => {
    const repo = fixtureRepo();
    expect((await drover(t.url, ["import", repo, "--name", "shop"])).code).toBe(0);
    const project = await t.db.project.findUniqueOrThrow({ where: { name: "shop" } });
    const agent = await t.db.agent.findFirstOrThrow({ where: { projectId: project.id } });
    const story = await t.db.story.findFirstOrThrow({ where: { projectId: project.id } });
    const s = await t.db.agentSession.create({
      data: {
        projectId: project.id,
        storyId: story.id,
        agentId: agent.id,
        stage: "other",
        status: "completed",
        runtime: "command",
        finishedAt: new Date(Date.now() - 40 * 86_400_000),
      },
    });
    await t.db.sessionEvent.createMany({
      data: Array.from({ length: 100 }, (_, seq) => ({ sessionId: s.id, seq, kind: seq === 99 ? "result" : "thinking", text: `line ${seq}` })),
    });

    const dry = await drover(t.url, ["compact", "shop", "--dry-run"]);
    expect(dry.stderr).toBe("");
    expect(dry.stdout).toBe(`shop: would compact 1 session(s) finished more than 30 days ago: #${s.id}\n`);
    expect(await t.db.sessionEvent.count({ where: { sessionId: s.id } })).toBe(100);

    const notOldEnough = await drover(t.url, ["compact", "shop", "--older-than-days", "41"]);
    expect(notOldEnough.stdout).toBe("shop: no uncompacted sessions finished more than 41 days ago\n");

    const run = await drover(t.url, ["compact", "shop"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^shop: compacted 1 session\(s\) finished more than 30 days ago: 100 events → 1 kept; raw logs /);
    expect(await t.db.sessionEvent.count({ where: { sessionId: s.id } })).toBe(1);
    const raw = await t.db.sessionRawLog.findUniqueOrThrow({ where: { sessionId: s.id } });
    expect(run.stdout).toContain(`raw logs ${(Number(raw.bytes) / 1024).toFixed(1)} KB stored as ${(raw.gzip.length / 1024).toFixed(1)} KB gzip`);
    expect((await drover(t.url, ["compact", "shop"])).stdout).toBe("shop: no uncompacted sessions finished more than 30 days ago\n");

    const bad = await drover(t.url, ["compact", "shop", "--older-than-days", "-3"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--older-than-days "-3" must be a whole number of days/);
  });
});
