// Several hosts: a remote project's resume goes to the runner holding the conversation's state when
// it is alive and has room; otherwise any runner takes it and starts fresh with the full context.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { claimNext, PREFER_HOLDER_SECS } from "../../src/runner/claim.ts";
import { seedProject, seedSession } from "../runner/helpers.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

const reach = { unreachable: [] as number[], reachable: () => false }; // no local repository on these "hosts"

async function runner(id: string, capacity = 1, heartbeatAgoSecs = 0) {
  const at = new Date(Date.now() - heartbeatAgoSecs * 1000);
  await t.db.runner.upsert({
    where: { id },
    create: { id, host: `host-${id}`, pid: 1, capacity, heartbeatAt: at },
    update: { capacity, heartbeatAt: at, stoppedAt: null },
  });
}

/** A remote project whose coder session ran on `holder` (conversation conv-1) and a pending resume of it. */
async function resumeOnHolder(holder: string) {
  const url = `file:///srv/git/resume-${Date.now()}-${Math.random()}.git`;
  const p = await seedProject(t.db, url);
  await t.db.project.update({ where: { id: p.id }, data: { remoteUrl: url } });
  const first = await seedSession(t.db, p.id, { command: ["true"], agent: "coder-1" });
  await t.db.agentSession.update({ where: { id: first.id }, data: { status: "completed", runnerId: holder, runtimeSessionId: "conv-1" } });
  const resume = await seedSession(t.db, p.id, {
    command: ["true"],
    agent: "coder-1",
    storyNumber: 1,
    prompt: "continue",
    freshPrompt: "FULL STORY CONTEXT then continue",
    resumeRuntimeSessionId: "conv-1",
  });
  return { p, resume };
}

describe("claiming a remote project's resume across hosts", () => {
  it("leaves it to the holder while it is alive with room; the holder resumes it", async () => {
    await runner("A");
    await runner("B");
    const { resume } = await resumeOnHolder("A");
    expect(await claimNext(t.db, "B", 60, reach)).toBeNull();
    const got = await claimNext(t.db, "A", 60, reach);
    expect(got?.id).toBe(resume.id);
    const row = await t.db.agentSession.findUniqueOrThrow({ where: { id: resume.id } });
    expect(row).toMatchObject({ runnerId: "A", resumeRuntimeSessionId: "conv-1", prompt: "continue" });
    await t.db.agentSession.update({ where: { id: resume.id }, data: { status: "completed" } });
  });

  it("a holder that is gone (no heartbeat within the lease): another host takes it at once and starts fresh with the full context", async () => {
    await runner("A", 1, 600);
    await runner("B");
    const { resume } = await resumeOnHolder("A");
    const got = await claimNext(t.db, "B", 60, reach);
    expect(got?.id).toBe(resume.id);
    const row = await t.db.agentSession.findUniqueOrThrow({ where: { id: resume.id } });
    expect(row).toMatchObject({ runnerId: "B", resumeRuntimeSessionId: null, prompt: "FULL STORY CONTEXT then continue" });
    await t.db.agentSession.update({ where: { id: resume.id }, data: { status: "completed" } });
  });

  it(`a holder that is busy, or a resume waiting longer than ${PREFER_HOLDER_SECS} s: another host takes it fresh`, async () => {
    await runner("A", 0); // no room
    await runner("B");
    const busy = await resumeOnHolder("A");
    expect((await claimNext(t.db, "B", 60, reach))?.id).toBe(busy.resume.id);
    await t.db.agentSession.update({ where: { id: busy.resume.id }, data: { status: "completed" } });

    await runner("A", 1);
    const waited = await resumeOnHolder("A");
    await t.db.agentSession.update({ where: { id: waited.resume.id }, data: { createdAt: new Date(Date.now() - (PREFER_HOLDER_SECS + 1) * 1000) } });
    expect((await claimNext(t.db, "B", 60, reach))?.id).toBe(waited.resume.id);
    expect((await t.db.agentSession.findUniqueOrThrow({ where: { id: waited.resume.id } })).resumeRuntimeSessionId).toBeNull();
  });
});
