// The runner runs only commands from a roster it parsed: an agent row's `config.command` or a
// project row's setup commands changed in the database (as anyone with a database login could)
// are not what runs. Before, such a change let another local user run a command as root.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import type { RunnerHandle } from "../../src/runner/start-runner.ts";
import { startTestRunner } from "../fixtures/test-runner.ts";
import { addProject, createStory, reloadProjectConfig, startAgent } from "@drover/db/services/index";
import { syncRosterText } from "@drover/db/testing/roster-text";
import { repoAccess } from "@drover/repo";
import { makeRepo, seedProject, waitFor } from "./helpers.ts";
import { testActor } from "@drover/db/testing/actors";

let t: TestDatabase;
let runner: RunnerHandle;
let dataDir: string;
let marks: string;

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-roster-trust-"));
  marks = fs.mkdtempSync(path.join(os.tmpdir(), "drover-tampered-"));
  runner = await startTestRunner({
    databaseUrl: t.url,
    dataDir,
  });
});

afterAll(async () => {
  await runner?.stop();
  await t?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(marks, { recursive: true, force: true });
});

async function startSession(projectId: number, agentId: number) {
  const story = await t.db.story.create({ data: { projectId, number: 1, slug: "s1", title: "S1", stage: "current" } });
  return t.db.agentSession.create({ data: { projectId, storyId: story.id, agentId, stage: "coder", runtime: "command", prompt: "go" } });
}

const ended = (id: number) =>
  waitFor(
    async () => {
      const s = await t.db.agentSession.findUniqueOrThrow({ where: { id } });
      return ["completed", "failed", "stopped", "interrupted"].includes(s.status) ? s : undefined;
    },
    `session ${id} to end`,
    60_000,
  );

const texts = async (sessionId: number) => (await t.db.sessionEvent.findMany({ where: { sessionId }, orderBy: { seq: "asc" } })).map((e) => e.text ?? "");

describe("commands come from the parsed roster", () => {
  it("runs the roster's command and setup, not a tampered agent or project row", async () => {
    const p = await seedProject(t.db, await makeRepo(), { component: [{ name: "app", path: ".", setup: ["sh -c 'echo roster-setup > setup.out'"] }] });
    const agent = await t.db.agent.create({
      data: {
        projectId: p.id,
        name: "coder",
        stage: "coder",
        runtime: "command",
        config: { name: "coder", runtime: "command", command: ["sh", "-c", "echo roster-command; cat setup.out"] },
      },
    });
    await syncRosterText(t.db, p.id);
    // What a database login could do: rewrite the parsed JSON copies.
    const agentMark = path.join(marks, "agent");
    const setupMark = path.join(marks, "setup");
    await t.db.agent.update({ where: { id: agent.id }, data: { config: { name: "coder", runtime: "command", command: ["sh", "-c", `id > ${agentMark}`] } } });
    await t.db.project.update({ where: { id: p.id }, data: { config: { component: [{ name: "app", path: ".", setup: [`sh -c 'id > ${setupMark}'`] }] } } });

    const s = await startSession(p.id, agent.id);
    const done = await ended(s.id);
    const out = await texts(s.id);
    expect(fs.existsSync(agentMark), "the tampered agent command ran").toBe(false);
    expect(fs.existsSync(setupMark), "the tampered setup command ran").toBe(false);
    expect(done.status, out.join("\n")).toBe("completed");
    expect(out).toContain("roster-command");
    expect(out).toContain("roster-setup");
  });

  it("refuses an agent that is not in the roster, whatever its row says", async () => {
    const p = await seedProject(t.db, await makeRepo());
    const mark = path.join(marks, "smuggled");
    const agent = await t.db.agent.create({
      data: {
        projectId: p.id,
        name: "smuggled",
        stage: "coder",
        runtime: "command",
        config: { name: "smuggled", runtime: "command", command: ["sh", "-c", `id > ${mark}`] },
      },
    });
    const s = await startSession(p.id, agent.id);
    const done = await ended(s.id);
    expect(fs.existsSync(mark)).toBe(false);
    expect(done.status).toBe("failed");
    expect(done.reason).toBe("bad_config");
    expect(done.message).toMatch(/not in the roster of project/);
  });

  it("keeps running the last good roster when the config file is edited into an error", async () => {
    const repo = await makeRepo();
    const file = path.join(repo, ".drover/project.toml");
    fs.mkdirSync(path.dirname(file));
    const good = `[[agent]]\nname = "coder"\nstage = "coder"\nruntime = "command"\ncommand = ["sh", "-c", "echo last-good-roster"]\n`;
    fs.writeFileSync(file, good);
    const { project } = await addProject(t.db, { repoPath: repo }, repoAccess, testActor);
    fs.writeFileSync(file, good.replace('stage = "coder"', 'stage = "tester"'));
    expect((await reloadProjectConfig(t.db, project.id, repoAccess, testActor)).ok).toBe(false);
    const story = await createStory(t.db, { projectId: project.id, title: "After a broken edit", stage: "current" }, testActor);
    const s = await startAgent(t.db, { projectId: project.id, storyNumber: story.number, agentName: "coder", trigger: "user" }, testActor);
    const done = await ended(s.id);
    const out = await texts(s.id);
    expect(done.status, `${done.reason}: ${done.message}\n${out.join("\n")}`).toBe("completed");
    expect(out).toContain("last-good-roster");
  });
});
