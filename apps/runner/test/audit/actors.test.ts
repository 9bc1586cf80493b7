// Every change records who made it: the command line (OS user and host), a runner (its id) and
// Drover's auto-assign, each through the real code path; and `drover audit` exports what parses.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { parse } from "csv-parse/sync";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addProject } from "@drover/db/services/projects";
import { createStory } from "@drover/db/services/stories";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { testActor } from "@drover/db/testing/actors";
import { repoAccess } from "@drover/repo";
import { autoAssignProject } from "../../src/automation/auto-assign.ts";
import { drover, fixtureRepo } from "../cli/helpers.ts";
import { makeRepo, seedProject, seedSession, spawnRunner, waitFor } from "../runner/helpers.ts";

let t: TestDatabase;
const dirs: string[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const eventsOf = (where: object) => t.db.projectEvent.findMany({ where, orderBy: { id: "asc" } });

describe("who made each change", { timeout: 180_000 }, () => {
  it("the command line records the OS user and host", async () => {
    const r = await drover(t.url, ["import", fixtureRepo(), "--name", "from-cli"]);
    expect(r.stderr).toBe("");
    const p = await t.db.project.findUniqueOrThrow({ where: { name: "from-cli" } });
    const me = `${os.userInfo().username}@${os.hostname()}`;
    const evs = await eventsOf({ projectId: p.id });
    expect(evs.map((e) => e.kind)).toContain("project_added");
    for (const e of evs) expect([e.actorKind, e.actorId, e.actorName]).toEqual(["cli", me, `${me} (command line)`]);

    // The same trail exported by the command line, in both formats, parses back.
    const csv = await drover(t.url, ["audit", "--format", "csv", "--project", "from-cli"]);
    expect(csv.code).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => [x.kind, x.actor_kind, x.actor_id])).toEqual(evs.map((e) => [e.kind, "cli", me]));
    const jsonl = await drover(t.url, ["audit", "--format", "jsonl", "--person", me, "--kind", "project_added"]);
    const objs = jsonl.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs).toEqual([expect.objectContaining({ kind: "project_added", project_name: "from-cli", actor_kind: "cli", actor_id: me })]);
    const bad = await drover(t.url, ["audit", "--format", "xml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format "xml" is not supported: use csv or jsonl/);
  });

  it("a runner records its id on the sessions it runs", async () => {
    const repo = await makeRepo();
    dirs.push(repo);
    const p = await seedProject(t.db, repo);
    const s = await seedSession(t.db, p.id, { command: ["true"] });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-audit-runner-"));
    dirs.push(dataDir);
    const r = await spawnRunner(t.url, ["--poll-ms", "200"], dataDir);
    try {
      const started = await waitFor(() => t.db.projectEvent.findFirst({ where: { sessionId: s.id, kind: "session_started" } }), "session_started");
      expect([started.actorKind, started.actorId, started.actorName]).toEqual(["runner", r.id, `runner ${r.id}`]);
    } finally {
      r.proc.kill("SIGTERM");
      await r.proc;
    }
  });

  it("auto-assign records itself on the agents it starts", async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "drover-audit-assign-"));
    dirs.push(repo);
    const git = (...a: string[]) => execFileSync("git", a, { cwd: repo });
    git("init", "-q", "-b", "main");
    fs.mkdirSync(path.join(repo, ".drover"));
    fs.writeFileSync(path.join(repo, ".drover/project.toml"), '[[agent]]\nname = "coder-1"\nstage = "coder"\nruntime = "command"\ncommand = ["true"]\n');
    git("add", "-A");
    git("-c", "user.email=t@t", "-c", "user.name=T", "commit", "-q", "-m", "init");
    const { project } = await addProject(t.db, { repoPath: fs.realpathSync(repo), name: "assigned" }, repoAccess, testActor);
    const story = await createStory(t.db, { projectId: project.id, title: "Pick me", stage: "current" }, testActor);
    await autoAssignProject(t.db, project.id, pino({ level: "silent" }));
    const [started] = await eventsOf({ storyId: story.id, kind: "agent_started" });
    expect(started).toMatchObject({ agentName: "coder-1", actorKind: "automation", actorId: "auto-assign", actorName: "auto-assign" });
    expect(started!.message).toMatch(/coder-1 started on story 1/);
  });
});
