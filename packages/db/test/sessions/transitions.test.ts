// The session state machine: each transition changes a row only from the state its guard names.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStory, startAgent } from "../../src/services/index.ts";
import { claimPending, endRun, extendLeases, failPending, recordAttempt, stopPending } from "../../src/sessions/index.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { projectWithRoster } from "@drover/db/testing/project-fixtures";
import { testActor } from "../../testing/actors.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  for (const id of ["runner-a", "runner-b"]) await t.db.runner.create({ data: { id, host: "test", pid: 1, capacity: 1 } });
});
afterAll(() => t.drop());

async function pendingSession() {
  const project = await projectWithRoster(t.db);
  const story = await createStory(t.db, { projectId: project.id, title: "A story", stage: "current" }, testActor);
  const s = await startAgent(t.db, { projectId: project.id, storyNumber: story.number, trigger: "user" }, testActor);
  return s.id;
}
const row = (id: number) => t.db.agentSession.findUniqueOrThrow({ where: { id } });

describe("session transitions", () => {
  it("claim takes only a pending session: a stopped one stays stopped", async () => {
    const id = await pendingSession();
    expect(await stopPending(t.db, id, "user_stop", "stopped")).toBe(true);
    expect(await claimPending(t.db, id, "runner-a", 30)).toBeNull();
    expect((await row(id)).status).toBe("stopped");
  });

  it("claim, lease and end: only the attempt that owns the session writes its end", async () => {
    const id = await pendingSession();
    const first = await claimPending(t.db, id, "runner-a", 30);
    expect(first).toEqual({ attempt: 1 });
    expect([...(await extendLeases(t.db, "runner-a", [id], 30))]).toEqual([id]);
    expect((await extendLeases(t.db, "runner-b", [id], 30)).size).toBe(0);
    const stale = { id, attempt: 0, runnerId: "runner-a" };
    expect(await recordAttempt(t.db, stale, { exitCode: 3 })).toBe(false);
    expect(await endRun(t.db, stale, { status: "completed", reason: "completed" })).toBe(false);
    expect((await row(id)).status).toBe("running");
    const owner = { id, attempt: 1, runnerId: "runner-a" };
    expect(await endRun(t.db, owner, { status: "failed", reason: "exit_code", exitCode: 2 })).toBe(true);
    const r = await row(id);
    expect([r.status, r.reason, r.exitCode, r.leaseExpiresAt]).toEqual(["failed", "exit_code", 2, null]);
    // Ended: a second end, a fail of a pending or a stop changes nothing.
    expect(await endRun(t.db, owner, { status: "completed", reason: "completed" })).toBe(false);
    expect(await failPending(t.db, id, "x", "y")).toBe(false);
    expect(await stopPending(t.db, id, "x", "y")).toBe(false);
    expect((await row(id)).status).toBe("failed");
  });
});
