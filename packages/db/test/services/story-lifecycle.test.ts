// Issue 18 items 1-2: Stop holds a story for the person who stopped it (auto-assign skips it until
// someone resumes, restarts or releases it); Block stops the story's sessions; unblock-and-resume
// is one step with the context, refused as a whole.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockStory, createStory, releaseStory, startAgent, stopAgent } from "../../src/services/index.ts";
import type { Actor } from "@drover/core/audit/actor";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { testActor } from "../../testing/actors.ts";
import { projectWithRoster, rejects } from "@drover/db/testing/project-fixtures";

const ana: Actor = { kind: "user", userId: "ana", name: "Ana" };
const bo: Actor = { kind: "user", userId: "bo", name: "Bo" };
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

async function setup() {
  const project = await projectWithRoster(t.db);
  const story = await createStory(t.db, { projectId: project.id, title: "Held or blocked", stage: "current" }, testActor);
  const key = { projectId: project.id, storyNumber: story.number };
  const row = () => t.db.story.findUniqueOrThrow({ where: { id: story.id } });
  const run = (id: number) => t.db.agentSession.update({ where: { id }, data: { status: "running", startedAt: new Date() } });
  const end = (id: number, status: "stopped" | "completed" = "stopped") =>
    t.db.agentSession.update({
      where: { id },
      data: { status, reason: status === "stopped" ? "user_stop" : "completed", finishedAt: new Date(), handledAt: new Date() },
    });
  const autoAssign = (agentName: string) => startAgent(t.db, { ...key, agentName, trigger: "auto_assign", autoAssign: true }, testActor);
  return { project, story, key, row, run, end, autoAssign };
}

describe("Stop holds the story", () => {
  it("records who stopped it; auto-assign is refused until a person restarts it", async () => {
    const { key, row, run, end, autoAssign } = await setup();
    const s1 = await startAgent(t.db, { ...key, agentName: "coder-1", trigger: "user" }, testActor);
    await run(s1.id);
    const r = await stopAgent(t.db, { ...key, agentName: "coder-1" }, ana);
    expect(r).toMatchObject({ result: "stop_requested", heldBy: "Ana" });
    expect(await row()).toMatchObject({ heldBy: "Ana", heldAt: expect.any(Date) });
    await end(s1.id);
    // Neither another free coder nor the pinned one is started behind the person's back.
    await rejects(autoAssign("coder-2"), "CONFLICT", /no longer up for auto-assign: held by Ana/);
    await rejects(autoAssign("coder-1"), "CONFLICT", /held by Ana/);
    // A person's restart releases the hold.
    const s2 = await startAgent(t.db, { ...key, agentName: "coder-2", trigger: "user" }, bo);
    expect(await row()).toMatchObject({ heldBy: null, heldAt: null });
    const released = await t.db.projectEvent.findFirst({ where: { storyId: s2.storyId, kind: "story_released" } });
    expect(released?.message).toMatch(/restarted by Bo \(was held by Ana\)/);
  });

  it("a resume releases it, and so does Release", async () => {
    const { key, row, end, autoAssign } = await setup();
    const s1 = await startAgent(t.db, { ...key, agentName: "coder-1", trigger: "user" }, testActor);
    await stopAgent(t.db, { ...key, agentName: "coder-1" }, ana); // pending: stopped at once
    expect((await t.db.agentSession.findUniqueOrThrow({ where: { id: s1.id } })).status).toBe("stopped");
    await end(s1.id);
    const s2 = await startAgent(t.db, { ...key, resumeOfSessionId: s1.id, context: "go on", trigger: "resume" }, testActor);
    expect(s2).toMatchObject({ resumeOfId: s1.id, resumeContext: "go on" });
    expect((await row()).heldBy).toBeNull();
    await stopAgent(t.db, { ...key, agentName: "coder-1" }, ana);
    await end(s2.id);
    expect((await row()).heldBy).toBe("Ana");
    await releaseStory(t.db, { ...key }, bo);
    expect((await row()).heldBy).toBeNull();
    await expect(autoAssign("coder-2")).resolves.toMatchObject({ trigger: "auto_assign" });
  });
});

describe("Block stops work; unblock continues it", () => {
  it("blocking stops the story's pending and running sessions", async () => {
    const { project, key, row, run } = await setup();
    const coder = await startAgent(t.db, { ...key, agentName: "coder-1", trigger: "user" }, testActor);
    await run(coder.id);
    const helper = await startAgent(t.db, { ...key, agentName: "helper", trigger: "user" }, testActor); // pending
    await blockStory(t.db, { ...key, reason: "needs a decision" }, testActor);
    expect(await row()).toMatchObject({ blocked: true, blockedReason: "needs a decision" });
    const sessions = await t.db.agentSession.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(sessions.find((s) => s.id === coder.id)).toMatchObject({ status: "running", stopRequestedAt: expect.any(Date) });
    expect(sessions.find((s) => s.id === helper.id)).toMatchObject({ status: "stopped", reason: "story_blocked" });
  });

  it("unblock-and-resume unblocks and resumes with the context in one step, or not at all", async () => {
    const { key, row, run, end } = await setup();
    const s1 = await startAgent(t.db, { ...key, agentName: "coder-1", trigger: "user" }, testActor);
    await run(s1.id);
    await blockStory(t.db, { ...key, reason: "wrong approach" }, testActor);
    await end(s1.id);
    // coder-1 is busy elsewhere: the resume is refused and the story stays blocked (no context-less restart).
    const other = await createStory(t.db, { projectId: key.projectId, title: "Elsewhere", stage: "current" }, testActor);
    const busy = await startAgent(t.db, { projectId: key.projectId, storyNumber: other.number, agentName: "coder-1", trigger: "user" }, testActor);
    await rejects(
      startAgent(t.db, { ...key, resumeOfSessionId: s1.id, context: "Use the other API", trigger: "resume", unblock: true }, testActor),
      "CONFLICT",
      /coder-1/,
    );
    expect(await row()).toMatchObject({ blocked: true, blockedReason: "wrong approach" });
    await end(busy.id);
    const s2 = await startAgent(t.db, { ...key, resumeOfSessionId: s1.id, context: "Use the other API", trigger: "resume", unblock: true }, testActor);
    expect(s2).toMatchObject({ resumeOfId: s1.id, resumeContext: "Use the other API", status: "pending" });
    expect(s2.prompt).toContain("Use the other API");
    expect(await row()).toMatchObject({ blocked: false, blockedReason: null });
  });
});
