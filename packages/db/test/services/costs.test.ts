import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { dailySpend, projectCosts, recordEstimatedCost } from "../../src/services/costs.ts";
import { createStory } from "../../src/services/stories.ts";
import { projectWithRoster } from "@drover/db/testing/project-fixtures";
import { testActor } from "../../testing/actors.ts";

const CONFIG = `
[prices.gemini-2]
input_per_mtok = 1
output_per_mtok = 10
cache_read_per_mtok = 0.5

[[agent]]
name = "claude"
stage = "coder"
runtime = "claude-code"
model = "sonnet"

[[agent]]
name = "gem"
stage = "coder"
runtime = "gemini"
model = "gemini-2"

[[agent]]
name = "cx"
stage = "qa"
runtime = "codex"
model = "gpt-unknown"
`;

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("costs", () => {
  it("reported, estimated and unpriced sessions, per session, story, agent and day", async () => {
    const { db } = t;
    const project = await projectWithRoster(db, CONFIG);
    const s1 = await createStory(db, { projectId: project.id, title: "One" }, testActor);
    const s2 = await createStory(db, { projectId: project.id, title: "Two" }, testActor);
    const agents = Object.fromEntries((await db.agent.findMany({ where: { projectId: project.id } })).map((a) => [a.name, a]));
    const mk = (agent: string, storyId: number, day: string, data: Record<string, unknown>) =>
      db.agentSession.create({
        data: {
          projectId: project.id,
          storyId,
          agentId: agents[agent].id,
          stage: agents[agent].stage,
          runtime: agents[agent].runtime,
          status: "completed",
          startedAt: new Date(`${day}T10:00:00Z`),
          ...data,
        },
      });
    // Claude reported its own cost: kept as is.
    const a = await mk("claude", s1.id, "2026-11-01", { model: "sonnet", inputTokens: 100, outputTokens: 10, costUsd: 0.25 });
    // Gemini: 1M uncached in, 100k out, 1M cached -> 1 + 1 + 0.5 = 2.5 USD estimated.
    const b = await mk("gem", s1.id, "2026-11-01", { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 1_000_000 });
    // Codex with a model missing from the price table: tokens only, marked.
    await mk("cx", s2.id, "2026-11-02", { inputTokens: 500, outputTokens: 50 });

    const c = await projectCosts(db, { projectId: project.id });
    expect(c.bySession.map((s) => [s.sessionId, s.source, s.costUsd])).toEqual([
      [a.id, "reported", 0.25],
      [b.id, "estimated", 2.5],
      [expect.any(Number), "unpriced", undefined],
    ]);
    expect(c.total).toMatchObject({
      costUsd: 2.75,
      sessions: 3,
      estimatedSessions: 1,
      unpricedSessions: 1,
      unpricedModels: ["gpt-unknown"],
      inputTokens: 1_000_600,
    });
    expect(c.byStory[s1.id].costUsd).toBe(2.75);
    expect(c.byStory[s2.id]).toMatchObject({ costUsd: 0, unpricedSessions: 1 });
    expect(Object.keys(c.byAgent).sort()).toEqual(["claude", "cx", "gem"]);
    expect(c.byAgent.gem.costUsd).toBe(2.5);
    expect(c.byDay).toMatchObject({ "2026-11-01": { costUsd: 2.75, sessions: 2 }, "2026-11-02": { costUsd: 0, sessions: 1 } });

    expect((await projectCosts(db, { projectId: project.id, storyId: s2.id })).total.sessions).toBe(1);
    expect((await projectCosts(db, { projectId: project.id, agentId: agents.gem.id })).total.costUsd).toBe(2.5);
    expect((await dailySpend(db, project.id, new Date("2026-11-01T23:59:00Z"))).costUsd).toBe(2.75);
    expect((await dailySpend(db, project.id, new Date("2026-11-03T00:00:00Z"))).sessions).toBe(0);

    // The estimate can be stored on the session; a reported cost is never overwritten.
    expect(await recordEstimatedCost(db, b.id)).toBe(2.5);
    expect(await db.agentSession.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ costUsd: 2.5, costEstimated: true });
    expect(await recordEstimatedCost(db, a.id)).toBe(0.25);
    expect(await db.agentSession.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ costUsd: 0.25, costEstimated: false });
  });

  it("bad input says what to fix", async () => {
    await expect(projectCosts(t.db, { projectId: -1 })).rejects.toThrow(/projectId/);
  });
});
