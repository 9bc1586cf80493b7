import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/client.ts";
import {
  blockStory,
  createStory,
  criteriaOf,
  listStories,
  moveStory,
  reorderStory,
  startAgent,
  tickCriterion,
  unblockStory,
  updateStory,
} from "../../src/services/index.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { projectWithRoster, rejects } from "@drover/db/testing/project-fixtures";
import { testActor } from "../../testing/actors.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("stories", () => {
  it("numbers stories atomically under concurrent creates (separate connections)", async () => {
    const p = await projectWithRoster(t.db);
    const clients = Array.from({ length: 10 }, () => createDb(t.url, { max: 1 }));
    try {
      const made = await Promise.all(Array.from({ length: 30 }, (_, i) => createStory(clients[i % 10]!, { projectId: p.id, title: `Story ${i}` }, testActor)));
      expect(made.map((s) => s.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    } finally {
      await Promise.all(clients.map((c) => c.$disconnect()));
    }
    const next = await createStory(t.db, { projectId: p.id, title: "Add login page!", kind: "bug" }, testActor);
    expect([next.number, next.slug, next.kind, next.stage]).toEqual([31, "add-login-page", "bug", "backlog"]);
    expect(next.body).toMatch(/^# Bug 31: Add login page!\n/);
    await rejects(createStory(t.db, { projectId: p.id, title: "x", slug: "../../etc" }, testActor), "BAD_REQUEST", /Invalid slug/);
    await rejects(createStory(t.db, { projectId: p.id, title: "  " }, testActor), "BAD_REQUEST", /Title must not be empty/);
  });

  it("updates body and front matter", async () => {
    const p = await projectWithRoster(t.db);
    const s = await createStory(t.db, { projectId: p.id, title: "Edit me" }, testActor);
    const retitled = await updateStory(t.db, { projectId: p.id, storyNumber: s.number, title: "Edit me: now" }, testActor);
    expect(retitled.body).toMatch(new RegExp(`^# Story ${s.number}: Edit me: now\n`));
    const u = await updateStory(
      t.db,
      {
        projectId: p.id,
        storyNumber: s.number,
        title: "Edited",
        body: "# Story 1: Edited\n",
        agent: "coder-2",
        qa: "human",
        reviewHold: true,
        dependsOn: [5],
      },
      testActor,
    );
    expect([u.title, u.body, u.agent, u.qa, u.reviewHold, u.dependsOn]).toEqual(["Edited", "# Story 1: Edited\n", "coder-2", "human", true, [5]]);
    await rejects(updateStory(t.db, { projectId: p.id, storyNumber: s.number, dependsOn: [s.number] }, testActor), "BAD_REQUEST", /cannot depend on itself/);
    await rejects(updateStory(t.db, { projectId: p.id, storyNumber: 999, title: "x" }, testActor), "NOT_FOUND", /No story 999/);
    expect((await updateStory(t.db, { projectId: p.id, storyNumber: s.number, slug: "renamed" }, testActor)).slug).toBe("renamed");
    await rejects(updateStory(t.db, { projectId: p.id, storyNumber: s.number, slug: "Bad/Slug" }, testActor), "BAD_REQUEST", /Invalid slug/);
    await moveStory(t.db, { projectId: p.id, storyNumber: s.number, to: "current" }, testActor);
    await startAgent(t.db, { projectId: p.id, storyNumber: s.number, agentName: "coder-1", trigger: "user" }, testActor);
    await rejects(
      updateStory(t.db, { projectId: p.id, storyNumber: s.number, slug: "again" }, testActor),
      "PRECONDITION_FAILED",
      /cannot change once an agent has worked on it \(its branch is drover\/\d+-renamed\)/,
    );
  });

  it("moves only along legal moves", async () => {
    const p = await projectWithRoster(t.db);
    const s = await createStory(t.db, { projectId: p.id, title: "Mover" }, testActor);
    await rejects(moveStory(t.db, { projectId: p.id, storyNumber: s.number, to: "done" }, testActor), "PRECONDITION_FAILED", /reaches done only from merge/);
    await rejects(moveStory(t.db, { projectId: p.id, storyNumber: s.number, to: "backlog" }, testActor), "PRECONDITION_FAILED", /already in backlog/);
    for (const to of ["current", "qa", "merge", "done", "archived"] as const) {
      expect((await moveStory(t.db, { projectId: p.id, storyNumber: s.number, to }, testActor)).story.stage).toBe(to);
    }
    await rejects(moveStory(t.db, { projectId: p.id, storyNumber: s.number, to: "qa" }, testActor), "PRECONDITION_FAILED", /archived story can only go back/);
    expect((await moveStory(t.db, { projectId: p.id, storyNumber: s.number, to: "backlog" }, testActor)).story.stage).toBe("backlog");
  });

  it("moving stops agents still active for the old stage: pending at once, running by request", async () => {
    const p = await projectWithRoster(t.db);
    const s = await createStory(t.db, { projectId: p.id, title: "Busy", stage: "current" }, testActor);
    const coder = await startAgent(t.db, { projectId: p.id, storyNumber: s.number, agentName: "coder-1", trigger: "user" }, testActor);
    const helper = await startAgent(t.db, { projectId: p.id, storyNumber: s.number, agentName: "helper", trigger: "user" }, testActor);
    const moved = await moveStory(t.db, { projectId: p.id, storyNumber: s.number, to: "qa" }, testActor);
    expect(moved.stoppedSessions).toEqual([coder.id]);
    expect((await t.db.agentSession.findUniqueOrThrow({ where: { id: coder.id } })).status).toBe("stopped");
    expect((await t.db.agentSession.findUniqueOrThrow({ where: { id: helper.id } })).status).toBe("pending"); // `other` stays

    const qa = await startAgent(t.db, { projectId: p.id, storyNumber: s.number, agentName: "qa-1", trigger: "user" }, testActor);
    await t.db.agentSession.update({ where: { id: qa.id }, data: { status: "running" } });
    await moveStory(t.db, { projectId: p.id, storyNumber: s.number, to: "current" }, testActor);
    const row = await t.db.agentSession.findUniqueOrThrow({ where: { id: qa.id } });
    expect(row.status).toBe("running");
    expect(row.stopRequestedAt).toBeInstanceOf(Date);
  });

  it("reorders within a column by rewriting one position", async () => {
    const p = await projectWithRoster(t.db);
    const [a, b, c] = [
      await createStory(t.db, { projectId: p.id, title: "A" }, testActor),
      await createStory(t.db, { projectId: p.id, title: "B" }, testActor),
      await createStory(t.db, { projectId: p.id, title: "C" }, testActor),
    ];
    const order = async () => (await listStories(t.db, p.id, "backlog")).map((s) => s.title);
    expect(await order()).toEqual(["A", "B", "C"]);
    await reorderStory(t.db, { projectId: p.id, storyNumber: c.number, index: 0 }, testActor);
    expect(await order()).toEqual(["C", "A", "B"]);
    await reorderStory(t.db, { projectId: p.id, storyNumber: a.number, index: 2 }, testActor);
    expect(await order()).toEqual(["C", "B", "A"]);
    await reorderStory(t.db, { projectId: p.id, storyNumber: a.number, index: 1 }, testActor);
    expect(await order()).toEqual(["C", "A", "B"]);
    expect(b.number).toBeGreaterThan(0);
  });

  it("ticks acceptance criteria by index", async () => {
    const p = await projectWithRoster(t.db);
    const body = "# Story 1: T\n\n## Acceptance Criteria\n\n- [ ] first\n- [x] second\n- [ ] third\n\n## Out of Scope\n\n- [ ] not a criterion\n";
    const s = await createStory(t.db, { projectId: p.id, title: "T", body }, testActor);
    await tickCriterion(t.db, { projectId: p.id, storyNumber: s.number, index: 2, checked: true }, testActor);
    const u = await tickCriterion(t.db, { projectId: p.id, storyNumber: s.number, index: 1, checked: false }, testActor);
    expect(criteriaOf(u)).toEqual([
      { text: "first", checked: false },
      { text: "second", checked: false },
      { text: "third", checked: true },
    ]);
    expect(u.body).toContain("- [ ] not a criterion");
    await rejects(
      tickCriterion(t.db, { projectId: p.id, storyNumber: s.number, index: 3, checked: true }, testActor),
      "BAD_REQUEST",
      /No acceptance criterion #3: the story has 3/,
    );
  });

  it("unblocking clears blocked and merge_failure", async () => {
    const p = await projectWithRoster(t.db);
    const s = await createStory(t.db, { projectId: p.id, title: "Blocked" }, testActor);
    const b = await blockStory(t.db, { projectId: p.id, storyNumber: s.number, reason: "retries exhausted", mergeFailure: "conflict in a.ts" }, testActor);
    expect([b.blocked, b.blockedReason, b.mergeFailure]).toEqual([true, "retries exhausted", "conflict in a.ts"]);
    const u = await unblockStory(t.db, { projectId: p.id, storyNumber: s.number }, testActor);
    expect([u.blocked, u.blockedReason, u.mergeFailure]).toEqual([false, null, null]);
    const kinds = (await t.db.projectEvent.findMany({ where: { storyId: s.id }, orderBy: { id: "asc" } })).map((e) => e.kind);
    expect(kinds).toEqual(["story_created", "story_blocked", "story_unblocked"]);
  });
});
