// Issue 10 item 7 end to end: a Gemini agent whose name climbs out of the runtime-state folder (a
// row the roster parser would now refuse, inserted directly) must not make the runner write its
// settings outside that folder. The runner takes agents only from the roster it parses, and the parser
// refuses such a name, so the session fails as bad_config before any path is derived; the
// containment check behind it (path_escape) is tested on its own in state-paths.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { makeRepo, seedProject, spawnRunner, waitFor, type RunnerProcess } from "./helpers.ts";

let t: TestDatabase;
let runner: RunnerProcess | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  runner?.proc.kill("SIGKILL");
  await runner?.proc;
  await t?.drop();
});

it("refuses to write a Gemini agent's settings outside the runtime-state folder", { timeout: 120_000 }, async () => {
  const dataDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-name-path-")));
  const project = await seedProject(t.db, await makeRepo());
  const name = "x/../../escape"; // <data>/runtime-state/<id>-x/../../escape = <data>/escape
  const story = await t.db.story.create({ data: { projectId: project.id, number: 1, slug: "story-1", title: "Story 1", stage: "current" } });
  const agent = await t.db.agent.create({
    data: { projectId: project.id, name, stage: "coder", runtime: "gemini", config: { name, runtime: "gemini", env: { GEMINI_API_KEY: "unused" } } },
  });
  const session = await t.db.agentSession.create({
    data: { projectId: project.id, storyId: story.id, agentId: agent.id, stage: "coder", runtime: "gemini", prompt: "do the work" },
  });

  // Runners claim only what they can run: the gemini CLI on PATH (the key is in the agent's env).
  const binDir = path.resolve(import.meta.dirname, "../../node_modules/.bin");
  runner = await spawnRunner(t.url, ["--poll-ms", "200"], dataDir, { env: { PATH: `${binDir}${path.delimiter}${process.env.PATH}` } });
  const done = await waitFor(
    async () => {
      const s = await t.db.agentSession.findUniqueOrThrow({ where: { id: session.id } });
      return ["failed", "completed", "stopped", "interrupted"].includes(s.status) ? s : undefined;
    },
    "session end",
    60_000,
    200,
  );
  expect(done.status).toBe("failed");
  expect(done.reason).toBe("bad_config");
  expect(fs.existsSync(path.join(dataDir, "escape"))).toBe(false);
  expect(fs.readdirSync(dataDir).sort()).not.toContain("escape");
});
