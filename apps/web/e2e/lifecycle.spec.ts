// Issue 18 items 1-3, the story lifecycle a person controls: Stop holds the story (shown on the
// card and the story page, with who stopped it) and auto-assign leaves it alone until a resume;
// Block stops the running agent and nothing restarts it; unblocking offers to resume the last
// session with context; a resumed session that passes its gates moves the story on.
// A project of its own, with real coder agents the runner's auto-assign staffs.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@drover/db";
import { addProject, createStory } from "@drover/db/services/index";
import { testActor } from "@drover/db/testing/actors";
import { repoAccess } from "@drover/repo";
import { artifact, expect, test, uid } from "./support/fixtures.ts";
import { AGENT_IN_REPO, putAgent } from "./support/repo.ts";
import { ADMIN } from "./support/sign-in.ts";

/** Who the tests are signed in as: the story is held for them. */
const OPERATOR = ADMIN.name;

/** Two coders that each run ~10 s and pass (no gates); QA is human, so a pass lands in qa. */
async function lifecycleProject(db: Db) {
  const dir = path.join(process.env.DROVER_E2E_TMP!, `life-${uid()}`);
  fs.mkdirSync(path.join(dir, ".drover"), { recursive: true });
  const coder = (name: string) =>
    [
      `[[agent]]`,
      `name = "${name}"`,
      `stage = "coder"`,
      `runtime = "command"`,
      `command = ["node", "${AGENT_IN_REPO}", "{{story_id}}", "${name}", "40", "250"]`,
      "",
    ].join("\n");
  fs.writeFileSync(path.join(dir, ".drover", "project.toml"), ['default_qa = "human"', "max_coders = 2", "", coder("coder-a"), coder("coder-b")].join("\n"));
  fs.writeFileSync(path.join(dir, "README.md"), "# lifecycle\n");
  putAgent(dir); // in the repository: a sandboxed agent sees only its worktree
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("-c", "user.name=e2e", "-c", "user.email=e2e@drover.local", "commit", "-q", "-m", "init");
  return (await addProject(db, { repoPath: dir, name: path.basename(dir) }, repoAccess, testActor)).project;
}

async function runningSession(db: Db, storyId: number) {
  await expect.poll(async () => (await db.agentSession.findFirst({ where: { storyId, status: "running" } }))?.id ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  return db.agentSession.findFirstOrThrow({ where: { storyId, status: "running" } });
}

test.beforeEach(({ runner }) => {
  expect(runner.pid, "the runner process did not start").toBeDefined();
});

test("Stop holds the story for the person; nothing restarts it; a resume with context runs and moves it on", async ({ page, db }) => {
  test.setTimeout(180_000);
  const project = await lifecycleProject(db);
  const story = await createStory(db, { projectId: project.id, title: `Hold me ${uid()}`, stage: "current" }, testActor);
  const first = await runningSession(db, story.id); // auto-assign staffed it

  await page.goto(`/projects/${project.id}/stories/${story.number}`);
  await page.getByTestId("story-actions").getByRole("button", { name: "Stop" }).click();
  await expect(page.getByTestId("story-lifecycle").getByTestId("held-badge")).toHaveText(`Held by ${OPERATOR}`);
  await expect.poll(async () => (await db.agentSession.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("stopped");
  // Several automation passes later (each board change triggers one), still only the stopped session.
  await page.waitForTimeout(6_000);
  expect(await db.agentSession.count({ where: { storyId: story.id } })).toBe(1);
  expect((await db.story.findUniqueOrThrow({ where: { id: story.id } })).heldBy).toBe(OPERATOR);
  await artifact(page, 18, "held-story");

  await page.goto(`/?project=${project.id}`);
  await expect(page.getByTestId(`card-${story.number}`).getByTestId("held-badge")).toHaveText(`Held by ${OPERATOR}`);
  await artifact(page, 18, "held-card");

  // Resume with context from the stopped session: the hold is released and the new run passes.
  await page.goto(`/sessions/${first.id}`);
  const form = page.getByTestId("resume-form");
  await form.getByLabel("Context", { exact: true }).fill("Carry on where you stopped.");
  await form.getByRole("button", { name: "Resume" }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/(?!${first.id}$)\\d+$`));
  await expect(page.getByText("Context given: Carry on where you stopped.")).toBeVisible();
  const resumed = await db.agentSession.findFirstOrThrow({ where: { storyId: story.id, resumeOfId: first.id } });
  expect((await db.story.findUniqueOrThrow({ where: { id: story.id } })).heldBy).toBeNull();
  // Item 3: the resumed session passes its gates and the story moves on (QA is human: to qa, held for review).
  await expect.poll(async () => (await db.agentSession.findUniqueOrThrow({ where: { id: resumed.id } })).status, { timeout: 60_000 }).toBe("completed");
  await expect.poll(async () => (await db.story.findUniqueOrThrow({ where: { id: story.id } })).stage, { timeout: 30_000 }).toBe("qa");
  await page.goto(`/projects/${project.id}/stories/${story.number}`);
  await expect(page.getByTestId("story-stage")).toHaveText("qa");
});

test("Block stops the running agent; unblock resumes the last session with the context; the resumed run moves the story on", async ({ page, db }) => {
  test.setTimeout(180_000);
  const project = await lifecycleProject(db);
  const story = await createStory(db, { projectId: project.id, title: `Block me ${uid()}`, stage: "current" }, testActor);
  const first = await runningSession(db, story.id);

  await page.goto(`/projects/${project.id}/stories/${story.number}`);
  await page.getByLabel("Block reason").fill("Needs a decision on the API");
  await page.getByRole("button", { name: "Block", exact: true }).click();
  await expect.poll(async () => (await db.agentSession.findUniqueOrThrow({ where: { id: first.id } })).status, { timeout: 20_000 }).toBe("stopped");
  await page.waitForTimeout(5_000);
  expect(await db.agentSession.count({ where: { storyId: story.id } })).toBe(1);
  expect(await db.story.findUniqueOrThrow({ where: { id: story.id } })).toMatchObject({ blocked: true, stage: "current" });

  const form = page.getByTestId("story-lifecycle").getByTestId("resume-form");
  await expect(form.getByRole("heading", { name: "Unblock and resume with context" })).toBeVisible();
  await form.getByLabel("Context", { exact: true }).fill("Use the v2 API.");
  await form.getByRole("button", { name: "Unblock and resume" }).click();
  await expect(page).toHaveURL(/\/sessions\/\d+$/);
  await expect(page.getByText("Context given: Use the v2 API.")).toBeVisible();
  await expect(page.getByText(`resumes session ${first.id}`)).toBeVisible();
  const resumed = await db.agentSession.findFirstOrThrow({ where: { storyId: story.id, resumeOfId: first.id } });
  expect(resumed.resumeContext).toBe("Use the v2 API.");
  expect((await db.story.findUniqueOrThrow({ where: { id: story.id } })).blocked).toBe(false);
  await expect.poll(async () => (await db.agentSession.findUniqueOrThrow({ where: { id: resumed.id } })).status, { timeout: 60_000 }).toBe("completed");
  await expect.poll(async () => (await db.story.findUniqueOrThrow({ where: { id: story.id } })).stage, { timeout: 30_000 }).toBe("qa");
});
