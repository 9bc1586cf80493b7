// An agent that runs a plain `git commit` (no -c user.name) in a fresh clone of a remote project,
// with a private HOME that has no gitconfig, commits as itself ("<agent> (Drover)"); a repository
// that configures its own identity keeps it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addRemoteProject } from "@drover/db/services/index";
import { testActor } from "@drover/db/testing/actors";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { AUTOMATION } from "../../src/automation/actors.ts";
import { ProjectRepos } from "../../src/runner/project-repos.ts";
import type { RunnerHandle } from "../../src/runner/start-runner.ts";
import { startTestRunner } from "../fixtures/test-runner.ts";
import { gitSync, makeRemote } from "../remote/remote-fixture.ts";
import { makeRepo, seedProject, seedSession, sessionEnded } from "./helpers.ts";

let t: TestDatabase;
let runner: RunnerHandle;
let dataDir: string;

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-identity-")));
  runner = await startTestRunner({ databaseUrl: t.url, dataDir });
});
afterAll(async () => {
  await runner?.stop();
  await t?.drop();
});

const PLAIN_COMMIT = ["sh", "-c", "echo work > work.txt && git add work.txt && git commit -q -m work"];
const roster = `[[agent]]\nname = "coder-7"\nstage = "coder"\nruntime = "command"\ncommand = ${JSON.stringify(PLAIN_COMMIT)}\n`;

const ended = (id: number) => sessionEnded(t.db, id);

const author = (repo: string, ref: string) => gitSync(repo, "log", "-1", "--format=%an <%ae> / %cn <%ce>", ref);

describe("a run's git identity", () => {
  it("a plain git commit in a fresh clone with no identity anywhere commits as the agent", async () => {
    const r = makeRemote({ "README.md": "hello\n" }, roster);
    let p = await addRemoteProject(t.db, { remoteUrl: r.url, baseBranch: "main", name: "identity" }, testActor);
    await new ProjectRepos(path.join(dataDir, "elsewhere"), t.db).syncConfig(p, AUTOMATION.configSync);
    p = await t.db.project.findUniqueOrThrow({ where: { id: p.id } });
    const s = await seedSession(t.db, p.id, { agent: "coder-7", command: PLAIN_COMMIT, slug: "plain" });
    const done = await ended(s.id);
    expect(done.status, (await t.db.sessionEvent.findMany({ where: { sessionId: s.id } })).map((e) => `${e.kind}: ${e.text}`).join("\n")).toBe("completed");
    const clone = path.join(dataDir, "clones", String(p.id));
    expect(fs.readFileSync(path.join(clone, ".git", "config"), "utf8")).not.toMatch(/\[user\]/);
    expect(author(clone, "drover/1-plain")).toBe("coder-7 (Drover) <coder-7@drover.invalid> / coder-7 (Drover) <coder-7@drover.invalid>");
  });

  it("a repository that sets user.name and user.email keeps them", async () => {
    const repo = makeRepo(); // configures user.name Test, user.email test@example.com
    const p = await seedProject(t.db, repo);
    const s = await seedSession(t.db, p.id, { command: PLAIN_COMMIT, slug: "own" });
    expect((await ended(s.id)).status).toBe("completed");
    expect(author(repo, "drover/1-own")).toBe("Test <test@example.com> / Test <test@example.com>");
  });
});
