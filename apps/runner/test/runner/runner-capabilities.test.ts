// Issue 12, "Runners say what they can run": two real runner processes, one without the `codex` CLI on
// its PATH and one with it (the real @openai/codex, against a mock Responses API). The one without
// never claims the Codex session; while it is the only runner the session waits and says why; the
// other runner claims it. A session no runner has a credential for keeps waiting, each runner's problem named.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunnerCapabilities } from "@drover/core/runtimes/capabilities";
import { readSecretKey, setSecret } from "@drover/db/secrets/index";
import { readBoard } from "@drover/db/services/board";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { syncRosterText } from "@drover/db/testing/roster-text";
import { startMockModel, type MockModelServer } from "../mock-models/server.ts";
import { makeRepo, seedProject, spawnRunner, waitFor, type RunnerProcess } from "./helpers.ts";
import { testActor } from "@drover/db/testing/actors";

const binDir = path.resolve(import.meta.dirname, "../../node_modules/.bin");
// git and node, nothing else: no agent CLI on this PATH.
const basePath = [path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter);
const noCredentials = { OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined, GEMINI_API_KEY: undefined, GOOGLE_API_KEY: undefined };

let t: TestDatabase;
let mock: MockModelServer;
const runners: RunnerProcess[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  mock = await startMockModel("openai", [
    { kind: "text", text: "Done." },
    { kind: "text", text: "Done too." },
  ]);
});

afterAll(async () => {
  for (const r of runners) r.proc.kill("SIGTERM");
  await Promise.all(runners.map((r) => r.proc));
  await mock?.close();
  await t?.drop();
});

async function codexSession(projectId: number, number: number, name: string, env: Record<string, string>) {
  const story = await t.db.story.create({ data: { projectId, number, slug: `story-${number}`, title: `Story ${number}`, stage: "current" } });
  const config = { name, runtime: "codex", model: "gpt-5.5", stage: "coder", inactivity_timeout_secs: 90, env: { ...env, DROVER_API_RETRIES: "0" } };
  const agent = await t.db.agent.create({ data: { projectId, name, stage: "coder", runtime: "codex", model: "gpt-5.5", config } });
  await syncRosterText(t.db, projectId);
  return t.db.agentSession.create({
    data: { projectId, storyId: story.id, agentId: agent.id, stage: "coder", runtime: "codex", model: "gpt-5.5", prompt: "say done" },
  });
}

/** The session once it has completed or failed. */
const ended = (id: number, what: string) =>
  waitFor(
    async () => {
      const s = await t.db.agentSession.findUniqueOrThrow({ where: { id } });
      return ["completed", "failed"].includes(s.status) ? s : undefined;
    },
    what,
    180_000,
    200,
  );
const runnerArgs = (id: string) => ["--id", id, "--poll-ms", "200", "--heartbeat-secs", "1"];
const home = () => fs.mkdtempSync(path.join(os.tmpdir(), "drover-caps-home-"));

it("a runner without codex never claims a Codex session; the story says why; a runner with codex claims it", { timeout: 240_000 }, async () => {
  const project = await seedProject(t.db, await makeRepo());
  const keyed = await codexSession(project.id, 1, "codex-keyed", { OPENAI_BASE_URL: `${mock.url}/v1`, OPENAI_API_KEY: "sk-mock" });
  const keyless = await codexSession(project.id, 2, "codex-keyless", { OPENAI_BASE_URL: `${mock.url}/v1` });
  // The key is a Drover secret: only a runner holding the secret key it was stored with can decrypt it.
  const secretKey = randomBytes(32).toString("base64");
  await setSecret(t.db, readSecretKey({ env: { DROVER_SECRET_KEY: secretKey } })!, { projectId: project.id, name: "openai", value: "sk-mock" }, testActor);
  const bySecret = await codexSession(project.id, 3, "codex-secret", { OPENAI_BASE_URL: `${mock.url}/v1`, OPENAI_API_KEY: "secret:openai" });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-caps-"));
  runners.push(await spawnRunner(t.url, runnerArgs("no-codex"), path.join(dataDir, "a"), { env: { ...noCredentials, PATH: basePath, HOME: home() } }));

  const waiting = "no runner can run codex: CLI missing on all runners";
  await waitFor(async () => (await t.db.agentSession.findUniqueOrThrow({ where: { id: keyed.id } })).message === waiting, "waiting reason", 60_000, 200);
  const board = await readBoard(t.db, { projectId: project.id });
  expect(board.stories.find((s) => s.number === 1)?.waitingReason).toBe(waiting);
  expect(await t.db.agentSession.findUniqueOrThrow({ where: { id: keyed.id } })).toMatchObject({ status: "pending", runnerId: null, attempt: 0 });

  runners.push(
    await spawnRunner(t.url, runnerArgs("with-codex"), path.join(dataDir, "b"), {
      env: { ...noCredentials, PATH: `${binDir}${path.delimiter}${basePath}`, HOME: home() },
    }),
  );
  const done = await ended(keyed.id, "codex session end");
  expect(done).toMatchObject({ status: "completed", runnerId: "with-codex", attempt: 1 });
  expect((await readBoard(t.db, { projectId: project.id })).stories.find((s) => s.number === 1)?.waitingReason).toBeNull();

  // Nobody has a key for the keyless agent: it waits, each runner's problem named, and nobody claims it.
  const mixed = "no runner can run codex: CLI missing on no-codex, no credential on with-codex";
  const why = await waitFor(
    async () => {
      const s = await t.db.agentSession.findUniqueOrThrow({ where: { id: keyless.id } });
      return s.message?.includes("with-codex") ? s : undefined;
    },
    "keyless waiting reason",
    30_000,
    200,
  );
  expect(why).toMatchObject({ status: "pending", runnerId: null, message: mixed });
  expect(await t.db.agentSession.findUniqueOrThrow({ where: { id: bySecret.id } })).toMatchObject({ status: "pending", runnerId: null, message: mixed });

  // A runner with codex and the secret key claims the session whose key is the secret.
  runners.push(
    await spawnRunner(t.url, runnerArgs("with-key"), path.join(dataDir, "c"), {
      env: { ...noCredentials, PATH: `${binDir}${path.delimiter}${basePath}`, HOME: home(), DROVER_SECRET_KEY: secretKey },
    }),
  );
  const bySecretDone = await ended(bySecret.id, "secret session end");
  expect(bySecretDone).toMatchObject({ status: "completed", runnerId: "with-key" });
  expect((await t.db.runner.findUniqueOrThrow({ where: { id: "with-key" } })).secretKeyId).toBe(readSecretKey({ env: { DROVER_SECRET_KEY: secretKey } })!.id);
  expect(await t.db.agentSession.findUniqueOrThrow({ where: { id: keyless.id } })).toMatchObject({ status: "pending", runnerId: null });

  // What each runner recorded: names and versions, never values.
  const rows = await t.db.runner.findMany({ orderBy: { id: "asc" } });
  const caps = Object.fromEntries(rows.map((r) => [r.id, r.capabilities as unknown as RunnerCapabilities]));
  expect(caps["no-codex"]!.codex).toMatchObject({ cli: "codex", path: null, version: null, credentials: [] });
  expect(caps["with-codex"]!.codex).toMatchObject({ cli: "codex", path: path.join(binDir, "codex"), credentials: [] });
  expect(caps["with-codex"]!.codex!.version).toContain("0.169.0");
});
