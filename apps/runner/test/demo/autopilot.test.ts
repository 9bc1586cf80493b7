// The demo autopilot (issue 18 item 9): promotes a backlog story while the demo sits idle, writes
// a new one when the backlog is empty, labels each promotion, and rests after its limit.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { DEMO_AUTOPILOT, DEMO_PROMOTED, runDemoAutopilot } from "../../src/demo/autopilot.ts";
import { seedDemoProject } from "../../src/demo/seed.ts";

describe("demo autopilot", () => {
  let t: TestDatabase;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-demo-autopilot-"));
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("promotes only when idle for the interval, labelled, then writes stories when the backlog runs out, up to its limit", async () => {
    const project = (await seedDemoProject(t.db, dataDir))!;
    const later = (ms: number) => new Date(Date.now() + ms);
    const stageOf = async (n: number) => (await t.db.story.findFirstOrThrow({ where: { projectId: project.id, number: n } })).stage;
    const finishCurrent = () => t.db.story.updateMany({ where: { projectId: project.id, stage: "current" }, data: { stage: "done" } });
    const opts = (now: Date) => ({ intervalMs: 60_000, maxPromotions: 4, now });

    // Story 2 is in current: not idle.
    expect(await runDemoAutopilot(t.db, opts(later(120_000)))).toEqual([]);
    await finishCurrent();
    // Idle, but the last activity is recent: wait for the interval.
    expect(await runDemoAutopilot(t.db, opts(later(1_000)))).toEqual([]);
    expect(await runDemoAutopilot(t.db, opts(later(61_000)))).toEqual([4]);
    expect(await stageOf(4)).toBe("current");
    const ev = await t.db.projectEvent.findFirstOrThrow({ where: { projectId: project.id, kind: DEMO_PROMOTED } });
    expect(ev).toMatchObject({ agentName: DEMO_AUTOPILOT });
    expect(ev.message).toMatch(/^Demo autopilot: promoted #4 "Dark mode toggle" from backlog to current .* \(1 of 4\)$/);
    // A running agent means not idle either.
    await finishCurrent();
    const agent = await t.db.agent.findFirstOrThrow({ where: { projectId: project.id, name: "coder-1" } });
    const s = await t.db.agentSession.create({
      data: { projectId: project.id, storyId: ev.storyId!, agentId: agent.id, stage: "qa", status: "running", runtime: "command" },
    });
    expect(await runDemoAutopilot(t.db, opts(later(120_000)))).toEqual([]);
    await t.db.agentSession.update({ where: { id: s.id }, data: { status: "completed" } });
    expect(await runDemoAutopilot(t.db, opts(later(120_000)))).toEqual([5]);
    // Backlog empty: it writes a story and promotes it.
    await finishCurrent();
    const [n] = await runDemoAutopilot(t.db, opts(later(240_000)));
    expect(n).toBe(6);
    expect(await t.db.story.findFirstOrThrow({ where: { projectId: project.id, number: 6 } })).toMatchObject({
      stage: "current",
      title: "Footer with contact link",
    });
    await finishCurrent();
    expect(await runDemoAutopilot(t.db, opts(later(360_000)))).toEqual([7]);
    // The limit reached, it rests.
    await finishCurrent();
    expect(await runDemoAutopilot(t.db, opts(later(480_000)))).toEqual([]);
    expect(await t.db.projectEvent.count({ where: { projectId: project.id, kind: DEMO_PROMOTED } })).toBe(4);
  });
});
