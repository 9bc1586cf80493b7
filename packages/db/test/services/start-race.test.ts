// 50 concurrent start requests through 50 separate connections: exactly the allowed ones win,
// every other one gets its rule's error, and the database ends consistent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../src/client.ts";
import { createStory, startAgent } from "../../src/services/index.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { projectWithRoster } from "@drover/db/testing/project-fixtures";
import { testActor } from "../../testing/actors.ts";

const N = 50;
let t: TestDatabase;
let clients: Db[];
beforeAll(async () => {
  t = await createTestDatabase();
  clients = Array.from({ length: N }, () => createDb(t.url, { max: 1 }));
  await Promise.all(clients.map((c) => c.$queryRaw`SELECT 1`)); // connect all before the race
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
  await t.drop();
});

const ROSTER = `
max_coders = 3
[[agent]]
name = "coder-1"
stage = "coder"
[[agent]]
name = "coder-2"
stage = "coder"
[[agent]]
name = "coder-3"
stage = "coder"
[[agent]]
name = "qa-1"
stage = "qa"
[[agent]]
name = "helper"
stage = "other"
`;

async function settle(reqs: Array<(db: Db) => Promise<unknown>>) {
  const results = await Promise.allSettled(reqs.map((r, i) => r(clients[i]!)));
  return results.map((r) =>
    r.status === "fulfilled" ? { ok: true as const } : { ok: false as const, err: r.reason as { name: string; code: string; message: string } },
  );
}

describe("concurrent starts", () => {
  it("on one story: one coder and one `other` agent win; the rest get rules 3, 5 and 6", async () => {
    const project = await projectWithRoster(t.db, ROSTER);
    const story = await createStory(t.db, { projectId: project.id, title: "Contended", stage: "backlog" }, testActor);
    const names: Array<string | undefined> = [];
    for (let i = 0; i < N; i++) names.push([undefined, "coder-1", "coder-2", "coder-3", "helper", "qa-1", undefined, "coder-1", "helper", undefined][i % 10]);
    const results = await settle(
      names.map((agentName) => (db) => startAgent(db, { projectId: project.id, storyNumber: story.number, agentName, trigger: "user" }, testActor)),
    );

    for (const r of results) if (!r.ok) expect(r.err.name, r.err.message).toBe("DomainError");
    const wins = results.filter((r) => r.ok).length;
    expect(wins).toBe(2);
    const errors = results.flatMap((r, i) => (r.ok ? [] : [{ name: names[i], code: r.err.code, message: r.err.message }]));
    // qa-1 can never start on a story in current (rule 3).
    for (const e of errors.filter((e) => e.name === "qa-1")) expect(e.code).toBe("PRECONDITION_FAILED");
    expect(errors.filter((e) => e.name === "qa-1")).toHaveLength(5);
    // The losing helpers hit rule 5; the losing coders rule 5 (same agent) or 6 (another coder).
    for (const e of errors.filter((e) => e.name === "helper")) expect(e.message).toMatch(/helper is already pending on story/);
    for (const e of errors.filter((e) => e.name !== "helper" && e.name !== "qa-1")) {
      expect(e.code).toBe("CONFLICT");
      expect(e.message).toMatch(/is already pending on story|already has coder coder-\d pending/);
    }
    const active = await t.db.agentSession.findMany({ where: { storyId: story.id, status: { in: ["pending", "running"] } }, include: { agent: true } });
    expect(active.map((s) => s.stage).sort()).toEqual(["coder", "other"]);
    expect(active.find((s) => s.stage === "other")!.agent.name).toBe("helper");
    const row = await t.db.story.findUniqueOrThrow({ where: { id: story.id } });
    expect(row.stage).toBe("current");
  });

  it("on many stories: three coders, max_coders = 3, exactly three implicit starts win", async () => {
    const project = await projectWithRoster(t.db, ROSTER);
    const stories = [];
    for (let i = 0; i < N; i++) stories.push(await createStory(t.db, { projectId: project.id, title: `S${i}`, stage: "backlog" }, testActor));
    const results = await settle(
      stories.map((s) => (db) => startAgent(db, { projectId: project.id, storyNumber: s.number, trigger: "auto_assign" }, testActor)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    for (const r of results) if (!r.ok) expect(r.err.message).toMatch(/^all coders busy; story queued/);
    const active = await t.db.agentSession.findMany({ where: { projectId: project.id, status: "pending" }, include: { agent: true } });
    expect(active.map((s) => s.agent.name).sort()).toEqual(["coder-1", "coder-2", "coder-3"]);
    expect(new Set(active.map((s) => s.storyId)).size).toBe(3);
    // Every story was queued in current.
    expect(await t.db.story.count({ where: { projectId: project.id, stage: "current" } })).toBe(N);
  });
});
