// Issue 18 item 8: archive (agents stop, history stays, off the board and the runner's passes) and
// remove (confirmed with the name; refused while agents run; the repository untouched).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveProject, createStory, projectChoices, removeProject, startAgent, unarchiveProject } from "../../src/services/index.ts";
import { testActor } from "../../testing/actors.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { projectWithRoster, rejects } from "@drover/db/testing/project-fixtures";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("archive and remove a project", () => {
  it("archiving stops its agents, keeps every row and leaves the project list; unarchive brings it back", async () => {
    const project = await projectWithRoster(t.db);
    const story = await createStory(t.db, { projectId: project.id, title: "Work", stage: "current" }, testActor);
    const running = await startAgent(t.db, { projectId: project.id, storyNumber: story.number, agentName: "coder-1", trigger: "user" }, testActor);
    await t.db.agentSession.update({ where: { id: running.id }, data: { status: "running" } });
    const r = await archiveProject(t.db, { project: project.name }, testActor);
    expect((await t.db.projectEvent.findFirst({ where: { projectId: project.id, kind: "project_archived" } }))?.message).toMatch(/archived by Test User/);
    expect(r.stoppedSessions).toEqual([running.id]);
    expect(r.project.archivedAt).toBeInstanceOf(Date);
    expect((await t.db.agentSession.findUniqueOrThrow({ where: { id: running.id } })).stopRequestedAt).toBeInstanceOf(Date);
    expect(await t.db.story.count({ where: { projectId: project.id } })).toBe(1);
    expect((await projectChoices(t.db)).map((p) => p.id)).not.toContain(project.id);
    await unarchiveProject(t.db, { project: project.id }, testActor);
    expect((await projectChoices(t.db)).map((p) => p.id)).toContain(project.id);
  });

  it("removal needs the exact name, is refused while an agent runs, and never touches the repository", async () => {
    const project = await projectWithRoster(t.db);
    const story = await createStory(t.db, { projectId: project.id, title: "Work", stage: "current" }, testActor);
    const s = await startAgent(t.db, { projectId: project.id, storyNumber: story.number, agentName: "coder-1", trigger: "user" }, testActor);
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: project.repoPath, encoding: "utf8" });
    const files = fs.readdirSync(project.repoPath, { recursive: true }).sort();
    await rejects(removeProject(t.db, { project: project.id, confirm: "nope" }, testActor), "BAD_REQUEST", /confirm with its name exactly/);
    await rejects(removeProject(t.db, { project: project.id, confirm: project.name }, testActor), "CONFLICT", /archive it first/);
    await t.db.agentSession.update({ where: { id: s.id }, data: { status: "stopped", finishedAt: new Date() } });
    expect(await removeProject(t.db, { project: project.id, confirm: project.name }, testActor)).toMatchObject({ name: project.name, stories: 1 });
    // The project's activity went with it; the audit trail keeps who removed it.
    expect(await t.db.auditEvent.findFirst({ where: { kind: "project_removed", projectName: project.name } })).toMatchObject({ actorName: "Test User" });
    expect(await t.db.project.count({ where: { id: project.id } })).toBe(0);
    expect(await t.db.story.count({ where: { projectId: project.id } })).toBe(0);
    expect(execFileSync("git", ["rev-parse", "HEAD"], { cwd: project.repoPath, encoding: "utf8" })).toBe(head);
    expect(fs.readdirSync(project.repoPath, { recursive: true }).sort()).toEqual(files);
    expect(fs.existsSync(path.join(project.repoPath, ".drover/project.toml"))).toBe(true);
  });
});
