// `drover approve|reject|retry` as real processes against a real database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile, execFileSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { addProject } from "@drover/db/services/projects";
import { createStory } from "@drover/db/services/stories";
import { repoAccess } from "@drover/repo";
import { testActor } from "@drover/db/testing/actors";

const cliMain = path.resolve(import.meta.dirname, "../../src/cli/main.ts");
let t: TestDatabase;
let repo: string;
let projectId: number;

function drover(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", cliMain, ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: t.url } },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "drover-cli-pipe-"));
  const git = (...a: string[]) => execFileSync("git", a, { cwd: repo });
  git("init", "-q", "-b", "main");
  git("-c", "user.email=t@t", "-c", "user.name=T", "commit", "-q", "--allow-empty", "-m", "init");
  fs.mkdirSync(path.join(repo, ".drover"));
  fs.writeFileSync(path.join(repo, ".drover/project.toml"), '[[agent]]\nname = "coder-1"\nstage = "coder"\nruntime = "command"\ncommand = ["true"]\n');
  projectId = (await addProject(t.db, { repoPath: repo, name: "clip" }, repoAccess, testActor)).project.id;
});
afterAll(async () => {
  await t?.drop();
  fs.rmSync(repo, { recursive: true, force: true });
});

it("approve, reject and retry from the command line", { timeout: 120_000 }, async () => {
  const c = await createStory(t.db, { projectId, title: "Stuck", stage: "current" }, testActor);
  await t.db.story.update({ where: { id: c.id }, data: { blocked: true, blockedReason: "gate_failed after 2 retries", retryCount: 2 } });
  const r = await drover("retry", "clip", String(c.number), "coder-1", "--json");
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout).sessionId).toEqual(expect.any(Number));
  expect(await t.db.story.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ blocked: false, retryCount: 0 });

  const a = await createStory(t.db, { projectId, title: "Review me", stage: "qa" }, testActor);
  await t.db.story.update({ where: { id: a.id }, data: { reviewHold: true } });
  const ok = await drover("approve", "clip", String(a.number), "--json");
  expect(ok.code).toBe(0);
  expect(JSON.parse(ok.stdout)).toMatchObject({ number: a.number, stage: "merge" });
  // not waiting for review any more: a precondition error, exit code 5
  const again = await drover("approve", "clip", String(a.number));
  expect(again.code).toBe(5);
  expect(again.stderr).toContain("not waiting for human review");

  const b = await createStory(t.db, { projectId, title: "Reject me", stage: "qa" }, testActor);
  await t.db.story.update({ where: { id: b.id }, data: { reviewHold: true } });
  const rej = await drover("reject", "clip", String(b.number), "Add tests for the edge case", "--json");
  expect(rej.code).toBe(0);
  // its coder is busy on the retried story: the rejection still lands, auto-assign restarts it later
  expect(JSON.parse(rej.stdout)).toMatchObject({ stage: "current", sessionId: null, startError: expect.stringContaining("busy") });
  const body = (await t.db.story.findUniqueOrThrow({ where: { id: b.id } })).body;
  expect(body).toContain("Add tests for the edge case");
});
