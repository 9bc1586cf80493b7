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

  it("a day's spend counts a session by startedAt, or by createdAt when it never started", async () => {
    const { db } = t;
    const project = await projectWithRoster(db, CONFIG);
    const other = await projectWithRoster(db, CONFIG);
    const story = await createStory(db, { projectId: project.id, title: "Spend" }, testActor);
    const otherStory = await createStory(db, { projectId: other.id, title: "Elsewhere" }, testActor);
    const agentOf = async (projectId: number) => (await db.agent.findFirstOrThrow({ where: { projectId, name: "claude" } })).id;
    const mk = async (projectId: number, storyId: number, costUsd: number, createdAt: string, startedAt: string | null) =>
      db.agentSession.create({
        data: {
          projectId,
          storyId,
          agentId: await agentOf(projectId),
          stage: "coder",
          runtime: "claude-code",
          status: startedAt ? "completed" : "stopped",
          model: "sonnet",
          costUsd,
          createdAt: new Date(createdAt),
          startedAt: startedAt ? new Date(startedAt) : null,
        },
      });
    await mk(project.id, story.id, 1, "2026-11-10T08:00:00Z", "2026-11-10T08:01:00Z"); // started that day
    await mk(project.id, story.id, 2, "2026-11-09T23:59:00Z", "2026-11-10T00:00:00Z"); // created the day before, started at its first instant
    await mk(project.id, story.id, 4, "2026-11-10T12:00:00Z", null); // never started, created that day
    await mk(project.id, story.id, 8, "2026-11-10T09:00:00Z", "2026-11-11T00:00:00Z"); // created that day, started the next: not that day
    await mk(project.id, story.id, 16, "2026-11-11T00:00:00Z", null); // never started, created the next day
    await mk(project.id, story.id, 32, "2026-11-09T12:00:00Z", null); // never started, created the day before
    await mk(other.id, otherStory.id, 64, "2026-11-10T10:00:00Z", null); // another project's
    await mk(other.id, otherStory.id, 128, "2026-11-10T10:00:00Z", "2026-11-10T10:00:00Z"); // another project's

    expect(await dailySpend(db, project.id, new Date("2026-11-10T15:00:00Z"))).toMatchObject({ costUsd: 7, sessions: 3 });
    expect(await dailySpend(db, project.id, new Date("2026-11-11T15:00:00Z"))).toMatchObject({ costUsd: 24, sessions: 2 });
    expect(await dailySpend(db, project.id, new Date("2026-11-09T15:00:00Z"))).toMatchObject({ costUsd: 32, sessions: 1 });
    expect(await dailySpend(db, other.id, new Date("2026-11-10T15:00:00Z"))).toMatchObject({ costUsd: 192, sessions: 2 });
  });

  it("bad input says what to fix", async () => {
    await expect(projectCosts(t.db, { projectId: -1 })).rejects.toThrow(/projectId/);
  });
});
