// `drover runner --projects`: real runner processes against real Postgres. A runner scoped to one
// project never claims another project's pending session (an unscoped runner then does); its CLIs
// (codex here) count only for its projects' waiting reasons and doctor view; a project it does not
// know is refused at start with an error that says what to give; the web's requests about other
// projects (or adding one) it declines, saying why.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunnerCapabilities } from "@drover/core/runtimes/capabilities";
import { liveRunnerCapabilities } from "@drover/db/services/runner-views";
import { askRunner } from "@drover/db/services/runner-requests";
import { testActor } from "@drover/db/testing/actors";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { syncRosterText } from "@drover/db/testing/roster-text";
import { execa } from "execa";
import { cliMain, makeRepo, repoRoot, seedProject, seedSession, sessionEnded, spawnRunner, waitFor, type RunnerProcess } from "./helpers.ts";

const binDir = path.resolve(import.meta.dirname, "../../node_modules/.bin");
// git and node, nothing else: no agent CLI on this PATH.
const basePath = [path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter);

let t: TestDatabase;
const runners: RunnerProcess[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-scope-"));
const runnerArgs = (id: string, ...more: string[]) => ["--id", id, "--poll-ms", "200", "--heartbeat-secs", "1", ...more];

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  for (const r of runners) r.proc.kill("SIGTERM");
  await Promise.all(runners.map((r) => r.proc));
  await t?.drop();
});

async function stopRunner(r: RunnerProcess) {
  r.proc.kill("SIGTERM");
  await r.proc;
  runners.splice(runners.indexOf(r), 1);
}

it("a scoped runner claims only its projects' sessions; an unscoped runner claims the others", { timeout: 120_000 }, async () => {
  const mine = await seedProject(t.db, await makeRepo());
  const other = await seedProject(t.db, await makeRepo());
  const a = await seedSession(t.db, mine.id, { command: ["sh", "-c", "echo mine"] });
  const b = await seedSession(t.db, other.id, { command: ["sh", "-c", "echo other"] });

  const scoped = await spawnRunner(t.url, runnerArgs("scoped", "--projects", mine.name), path.join(dataDir, "scoped"));
  runners.push(scoped);
  expect(await sessionEnded(t.db, a.id)).toMatchObject({ status: "completed", runnerId: "scoped" });
  // Many claim rounds later (200 ms polls, 1 s heartbeats), the other project's session is still waiting.
  await new Promise((r) => setTimeout(r, 3_000));
  expect(await t.db.agentSession.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ status: "pending", runnerId: null, attempt: 0 });
  expect((await t.db.runner.findUniqueOrThrow({ where: { id: "scoped" } })).projectIds).toEqual([mine.id]);
  await stopRunner(scoped);

  // By id works as well as by name; an unscoped runner takes the other project's session.
  const byId = await spawnRunner(t.url, runnerArgs("scoped-by-id", "--projects", String(mine.id)), path.join(dataDir, "by-id"));
  runners.push(byId);
  expect((await t.db.runner.findUniqueOrThrow({ where: { id: "scoped-by-id" } })).projectIds).toEqual([mine.id]);
  const all = await spawnRunner(t.url, runnerArgs("unscoped"), path.join(dataDir, "unscoped"));
  runners.push(all);
  expect(await sessionEnded(t.db, b.id)).toMatchObject({ status: "completed", runnerId: "unscoped" });
  expect((await t.db.runner.findUniqueOrThrow({ where: { id: "unscoped" } })).projectIds).toEqual([]);
  await Promise.all([stopRunner(byId), stopRunner(all)]);
});

it("a scoped runner's CLIs count only for its projects: another project's Codex session still waits for codex", { timeout: 120_000 }, async () => {
  const mine = await seedProject(t.db, await makeRepo());
  const other = await seedProject(t.db, await makeRepo());
  // A Codex session of the other project, with a key: only a missing CLI keeps it waiting.
  const story = await t.db.story.create({ data: { projectId: other.id, number: 1, slug: "story-1", title: "Story 1", stage: "current" } });
  const config = { name: "codex-coder", runtime: "codex", model: "gpt-5.5", stage: "coder", env: { OPENAI_API_KEY: "sk-mock" } };
  const agent = await t.db.agent.create({ data: { projectId: other.id, name: "codex-coder", stage: "coder", runtime: "codex", model: "gpt-5.5", config } });
  await syncRosterText(t.db, other.id);
  const waiting = await t.db.agentSession.create({
    data: { projectId: other.id, storyId: story.id, agentId: agent.id, stage: "coder", runtime: "codex", model: "gpt-5.5", prompt: "say done" },
  });

  const noCodex = await spawnRunner(t.url, runnerArgs("no-codex"), path.join(dataDir, "no-codex"), { env: { PATH: basePath } });
  runners.push(noCodex);
  const withCodex = await spawnRunner(t.url, runnerArgs("codex-for-mine", "--projects", mine.name), path.join(dataDir, "codex"), {
    env: { PATH: `${binDir}${path.delimiter}${basePath}` },
  });
  runners.push(withCodex);
  const caps = (await t.db.runner.findUniqueOrThrow({ where: { id: "codex-for-mine" } })).capabilities as unknown as RunnerCapabilities;
  expect(caps.codex?.path).toBe(path.join(binDir, "codex"));

  // Several heartbeats of both runners later, the other project's session still says codex is missing everywhere.
  const reason = "no runner can run codex: CLI missing on all runners";
  await waitFor(async () => (await t.db.agentSession.findUniqueOrThrow({ where: { id: waiting.id } })).message === reason, "waiting reason", 30_000, 200);
  await new Promise((r) => setTimeout(r, 3_000));
  expect(await t.db.agentSession.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: "pending", runnerId: null, message: reason });

  // The doctor view of each project counts the runners that serve it.
  expect((await liveRunnerCapabilities(t.db, other.id)).map((r) => r.id)).toEqual(["no-codex"]);
  expect((await liveRunnerCapabilities(t.db, mine.id)).map((r) => r.id)).toEqual(["codex-for-mine", "no-codex"]);
  await Promise.all([stopRunner(noCodex), stopRunner(withCodex)]);
});

it("an unknown project, or an empty one, is refused at start with an error that says what to give", { timeout: 60_000 }, async () => {
  const known = await seedProject(t.db, await makeRepo());
  const run = (value: string) =>
    execa(process.execPath, ["--import", "tsx", cliMain, "runner", "--no-pipeline", "--data-dir", path.join(dataDir, "bad"), "--projects", value], {
      cwd: repoRoot,
      env: { DATABASE_URL: t.url, LOG_LEVEL: "info" },
      reject: false,
      timeout: 30_000,
    });
  const [unknown, empty] = await Promise.all([run(`${known.name},nope,4242`), run(`${known.name},`)]);
  expect(unknown.exitCode).toBe(2);
  expect(unknown.stderr).toContain('drover runner: Invalid runner options: projects: no project "nope", "4242" (give project ids or names; known: ');
  expect(unknown.stderr).toContain(`${known.id} ${known.name}`);
  expect(empty.exitCode).toBe(2);
  expect(empty.stderr).toContain("projects: an empty project name or id");
  // Refused before it registered: no runner row, so nothing counts its capabilities.
  expect(await t.db.runner.count({ where: { stoppedAt: null, id: { notIn: runners.map((r) => r.id) } } })).toBe(0);
});

it("a scoped runner answers the web's requests about its projects and declines the others, those adding a project too", { timeout: 90_000 }, async () => {
  const mine = await seedProject(t.db, await makeRepo());
  const other = await seedProject(t.db, await makeRepo());
  const scoped = await spawnRunner(t.url, runnerArgs("scoped-requests", "--projects", mine.name), path.join(dataDir, "requests"));
  runners.push(scoped);
  const inspect = (p: typeof mine) =>
    askRunner(t.db, { kind: "project.inspect", payload: { projectId: p.id }, repoPath: p.repoPath, projectId: p.id }, testActor, { timeoutMs: 20_000 });
  expect((await inspect(mine)).repo).toBeTruthy();
  expect(await t.db.runnerRequest.findFirstOrThrow({ where: { projectId: mine.id }, orderBy: { id: "desc" } })).toMatchObject({
    status: "answered",
    runnerId: "scoped-requests",
  });
  const serves = `this runner serves only projects ${mine.id} (--projects)`;
  await expect(inspect(other)).rejects.toThrow(serves);
  const offer = askRunner(t.db, { kind: "roster.offer", payload: { repoPath: mine.repoPath, runtime: "claude-code" }, repoPath: mine.repoPath }, testActor, {
    timeoutMs: 20_000,
  });
  await expect(offer).rejects.toThrow(serves);
  await stopRunner(scoped);
});
