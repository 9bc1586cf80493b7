// Work retries back off: with max_retries = 0 (no limit) an agent that always leaves uncommitted
// files is retried at once, then after 10 s, 20 s ... (a real runner with the pipeline, real git),
// instead of being restarted dozens of times in seconds.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { addProject } from "@drover/db/services/projects";
import { createStory } from "@drover/db/services/stories";
import { execa, type ResultPromise } from "execa";
import { cliMain, repoRoot, waitFor } from "../runner/helpers.ts";
import { repoAccess } from "@drover/repo";
import { testActor } from "@drover/db/testing/actors";

let t: TestDatabase;
let repo: string;
let dataDir: string;
let runner: ResultPromise | undefined;
let out = "";

beforeAll(async () => {
  t = await createTestDatabase();
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "drover-backoff-repo-"));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-backoff-data-"));
  const git = (...a: string[]) => execFileSync("git", a, { cwd: repo });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@t");
  git("config", "user.name", "T");
  fs.mkdirSync(path.join(repo, ".drover"));
  fs.writeFileSync(
    path.join(repo, ".drover/project.toml"),
    `default_qa = "server"\nmax_retries = 0\ngates = []\n\n[[agent]]\nname = "coder-1"\nstage = "coder"\nruntime = "command"\ncommand = ["sh", "-c", "echo junk > junk-$DROVER_SESSION_ID.txt"]\n`,
  );
  git("add", "-A");
  git("commit", "-q", "-m", "init");
});

afterAll(async () => {
  if (process.env.DROVER_TEST_SHOW_RUNNERS) console.log(out);
  runner?.kill("SIGTERM");
  await runner;
  await t?.drop();
  fs.rmSync(repo, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

it("max_retries = 0: an agent leaving uncommitted files is retried with backoff, not in a tight loop", { timeout: 120_000 }, async () => {
  const { project } = await addProject(t.db, { repoPath: repo, name: "backoff" }, repoAccess, testActor);
  const story = await createStory(t.db, { projectId: project.id, title: "Never commits", body: "# Never commits\n", stage: "current" }, testActor);
  runner = execa(process.execPath, ["--import", "tsx", cliMain, "runner", "--data-dir", dataDir, "--poll-ms", "200", "--heartbeat-secs", "1"], {
    cwd: repoRoot,
    env: { DATABASE_URL: t.url, LOG_LEVEL: "info" },
    reject: false,
    buffer: false,
    all: true,
  });
  runner.all!.on("data", (c: Buffer) => (out = (out + c.toString()).slice(-100_000)));
  const sessions = () => t.db.agentSession.findMany({ where: { storyId: story.id }, orderBy: { id: "asc" } });

  // the first run and the first retry (at once), then the second retry is scheduled, not claimable yet
  const scheduled = await waitFor(
    async () => {
      const ss = await sessions();
      return ss.length >= 3 ? ss : undefined;
    },
    "the second retry to be scheduled",
    60_000,
    100,
  );
  const [first, retry1, retry2] = scheduled;
  expect([first.status, first.reason, retry1.status, retry1.reason]).toEqual(["failed", "uncommitted_changes", "failed", "uncommitted_changes"]);
  expect(retry2.notBefore, "the second retry has a time before which it may not run").not.toBeNull();
  expect(retry2.notBefore!.getTime() - retry1.finishedAt!.getTime()).toBeGreaterThanOrEqual(9_000);

  // for the next 8 s nothing more runs: the retry waits for its time
  await new Promise((r) => setTimeout(r, 8_000));
  const later = await sessions();
  expect(later.length).toBe(3);
  expect(later[2].startedAt).toBeNull();

  // and then it runs, no earlier than its time
  const ran = await waitFor(async () => (await sessions())[2]?.startedAt ?? undefined, "the second retry to start", 30_000, 100);
  expect(ran.getTime()).toBeGreaterThanOrEqual(retry2.notBefore!.getTime());
  expect((await t.db.story.findUniqueOrThrow({ where: { id: story.id } })).retryCount).toBeGreaterThanOrEqual(2);
});
