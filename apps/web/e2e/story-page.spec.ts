// Issue 18, items 4, 5, 6 and 13: stories written and edited in the board, a story page that
// shows each thing once at /projects/<project>/stories/<number>, and a done story's change kept.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { expect, newStory, seeded, test, uid } from "./support/fixtures.ts";

const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test-results/artifacts/18");
const storyUrl = (number: number) => `/projects/${seeded().projectId}/stories/${number}`;
const board = () => `/?project=${seeded().projectId}`;

async function artifact(page: Page, name: string) {
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

test.describe("item 4: stories written in the board", () => {
  test("the New story dialog takes a description with preview, criteria (add, edit, reorder, remove), dependencies and a pin from pickers", async ({
    page,
    db,
  }) => {
    const dep = await newStory(db, `Dependency ${uid()}`);
    const title = `Written in the board ${uid()}`;
    await page.goto(board());
    await page.getByRole("button", { name: "New story" }).click();
    const dialog = page.getByRole("dialog", { name: "New story" });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel("New story title").fill(title);
    await dialog.getByLabel("Kind").selectOption("bug");
    await dialog.getByRole("textbox", { name: "Description" }).fill("As a user, I want **bold** things.");
    await dialog.getByRole("tab", { name: "Preview" }).click();
    await expect(dialog.getByTestId("description-preview").locator("strong")).toHaveText("bold");
    await dialog.getByRole("tab", { name: "Write" }).click();
    for (const text of ["Second", "First", "Dropped"]) {
      await dialog.getByRole("button", { name: "Add criterion" }).click();
      await dialog
        .getByRole("textbox", { name: /^Criterion \d+$/ })
        .last()
        .fill(text);
    }
    await dialog.getByRole("textbox", { name: "Criterion 1", exact: true }).fill("Second, edited");
    await dialog.getByRole("button", { name: "Move criterion 2 up" }).click();
    await dialog.getByRole("button", { name: "Remove criterion 3" }).click();
    await expect(dialog.getByRole("textbox", { name: /^Criterion \d+$/ })).toHaveCount(2);
    // Dependencies from a picker of the project's stories, the pin from the roster.
    await dialog.getByRole("button", { name: "Pick stories" }).click();
    await page.getByLabel("Filter stories").fill(dep.title);
    await page.getByRole("checkbox", { name: new RegExp(`#${dep.number} ${dep.title}`) }).check();
    await page.keyboard.press("Escape");
    await expect(dialog.getByTestId("depends-on")).toContainText(`#${dep.number}`);
    await dialog.getByLabel("Agent pin").selectOption("helper");
    await artifact(page, "new-story-form");
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(dialog).toBeHidden();

    const created = await db.story.findFirstOrThrow({ where: { title } });
    expect(created).toMatchObject({ kind: "bug", agent: "helper", dependsOn: [dep.number] });
    expect(created.body).toBe(
      `# Bug ${created.number}: ${title}\n\nAs a user, I want **bold** things.\n\n## Acceptance Criteria\n\n- [ ] First\n- [ ] Second, edited\n`,
    );
    await expect(page.getByTestId(`card-${created.number}`).getByTestId("card-criteria")).toHaveText("☑ 0/2");
  });

  test("a story with no criteria shows none: no empty template checkbox, no 0/1 on its card", async ({ page, db }) => {
    const s = await newStory(db, `No criteria ${uid()}`);
    await page.goto(board());
    await expect(page.getByTestId(`card-${s.number}`)).toBeVisible();
    await expect(page.getByTestId(`card-${s.number}`).getByTestId("card-criteria")).toHaveCount(0);
    await page.goto(storyUrl(s.number));
    const criteria = page.getByTestId("story-criteria");
    await expect(criteria).toContainText("No acceptance criteria.");
    await expect(criteria.getByRole("checkbox")).toHaveCount(0);
    await expect(page.getByText("[ ]")).toHaveCount(0);
  });

  test("on the story page, description and criteria are edited in place; the rest of the body stays", async ({ page, db }) => {
    const body = [
      "## User Story",
      "",
      "As a cook, I want salt.",
      "",
      "## Acceptance Criteria",
      "",
      "- [x] Salty",
      "- [ ] Not too salty",
      "",
      "## Out of Scope",
      "",
      "Pepper.",
      "",
    ].join("\n");
    const s = await newStory(db, `Edit in place ${uid()}`, { body });
    await page.goto(storyUrl(s.number));
    await page.getByRole("button", { name: "Edit description" }).click();
    const text = page.getByRole("textbox", { name: "Description" });
    await text.fill((await text.inputValue()).replace("salt", "sea salt"));
    await page.getByRole("button", { name: "Save description" }).click();
    await expect(page.getByTestId("story-body")).toContainText("As a cook, I want sea salt.");

    await page.getByRole("button", { name: "Edit criteria" }).click();
    await page.getByRole("button", { name: "Add criterion" }).click();
    await page.getByRole("textbox", { name: "Criterion 3", exact: true }).fill("Fine grain");
    await page.getByRole("button", { name: "Move criterion 3 up" }).click();
    await page.getByRole("button", { name: "Remove criterion 1" }).click();
    await page.getByRole("checkbox", { name: "Criterion 1 done" }).check();
    await page.getByRole("button", { name: "Save criteria" }).click();
    await expect(page.getByTestId("story-criteria").getByRole("checkbox", { name: "Fine grain" })).toBeChecked();
    await expect(page.getByText("Acceptance criteria (1/2)")).toBeVisible();
    const saved = await db.story.findUniqueOrThrow({ where: { id: s.id } });
    expect(saved.body).toBe(
      body.replace("I want salt", "I want sea salt").replace("- [x] Salty\n- [ ] Not too salty", "- [x] Fine grain\n- [ ] Not too salty"),
    );
  });
});

test.describe("item 5: the story page", () => {
  test("is addressed by project and number, the old /stories/<id> redirects, and shows title and criteria once", async ({ page, db }) => {
    // Another story first, so the database id and the story number differ.
    await newStory(db, `Filler ${uid()}`);
    const title = `Shown once ${uid()}`;
    const s = await newStory(db, title, { body: `# Story 0: ${title}\n\nWhy.\n\n## Acceptance Criteria\n\n- [ ] Only once\n` });
    await page.goto(`/stories/${s.id}`);
    await expect(page).toHaveURL(new RegExp(`${storyUrl(s.number)}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`#${s.number} ${title}`);
    await expect(page.getByRole("heading", { name: new RegExp(title) })).toHaveCount(1);
    await expect(page.getByText("Only once")).toHaveCount(1);
    await page.goto(`/projects/e2e/stories/${s.number}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`#${s.number} ${title}`);
  });

  test("offers only the actions that fit the story's state", async ({ page, db }) => {
    const done = await newStory(db, `Done already ${uid()}`, { stage: "done" });
    await page.goto(storyUrl(done.number));
    const actions = page.getByTestId("story-actions");
    await expect(actions).toContainText("Merged: nothing left to do.");
    for (const name of ["Approve", "Reject", "Retry", "Start", "Block"]) await expect(actions.getByRole("button", { name, exact: true })).toHaveCount(0);
    await expect(actions.getByLabel("Move to stage").locator("option")).toHaveText(["Move to…", "backlog", "current", "qa", "merge", "archived"]);

    const waiting = await newStory(db, `Waiting review ${uid()}`, { stage: "qa" });
    await db.story.update({ where: { id: waiting.id }, data: { reviewHold: true } });
    await page.goto(storyUrl(waiting.number));
    await expect(actions.getByRole("button", { name: "Approve" })).toBeVisible();
    await expect(actions.getByRole("button", { name: "Reject" })).toBeVisible();
    await expect(actions.getByRole("button", { name: "Retry" })).toHaveCount(0);

    const fresh = await newStory(db, `Fresh ${uid()}`);
    await page.goto(storyUrl(fresh.number));
    await expect(actions.getByRole("button", { name: "Start" })).toBeVisible();
    for (const name of ["Approve", "Reject", "Retry"]) await expect(actions.getByRole("button", { name })).toHaveCount(0);
  });

  test("a running session's duration ticks", async ({ page, db }) => {
    const s = await newStory(db, `Ticking ${uid()}`, { stage: "qa" });
    const agent = await db.agent.findFirstOrThrow({ where: { projectId: seeded().projectId, name: "reviewer" } });
    const session = await db.agentSession.create({
      data: {
        projectId: s.projectId,
        storyId: s.id,
        agentId: agent.id,
        stage: "qa",
        status: "running",
        runtime: "command",
        startedAt: new Date(Date.now() - 65_000),
        leaseExpiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    try {
      await page.goto(storyUrl(s.number));
      const cell = page.getByTestId(`session-duration-${session.id}`);
      await expect(cell).toHaveText(/^1m \d+s$/);
      const first = await cell.textContent();
      await expect(cell).not.toHaveText(first!, { timeout: 3_000 });
    } finally {
      await db.agentSession.update({ where: { id: session.id }, data: { status: "stopped", finishedAt: new Date() } });
    }
  });
});

test.describe("item 6: every finished change stays visible", () => {
  test.beforeEach(({ runner }) => {
    expect(runner.pid, "the runner process did not start").toBeDefined();
  });

  test("a merged story's change is shown from the database, with per-file stats and a truncated flag, after its branch is gone", async ({ page, db }) => {
    const s = await newStory(db, `Merged change ${uid()}`, { stage: "backlog" });
    // The story's branch, made the way the runner makes one, with a small and a too-large file.
    const repo = path.join(process.env.DROVER_E2E_TMP!, "fixture-repo");
    const branch = `drover/${s.number}-${s.slug}`;
    const wt = path.join(process.env.DROVER_E2E_TMP!, `wt-${s.number}`);
    const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
    git(repo, "worktree", "add", "-q", "-b", branch, wt, "main");
    fs.writeFileSync(path.join(wt, `story-${s.number}.txt`), "one\ntwo\n");
    fs.writeFileSync(path.join(wt, `big-${s.number}.txt`), `${"y".repeat(60)}\n`.repeat(3000));
    git(wt, "add", "-A");
    git(wt, "-c", "user.name=e2e", "-c", "user.email=e2e@drover.local", "commit", "-q", "-m", "work");
    git(repo, "worktree", "remove", "--force", wt);
    await db.story.update({ where: { id: s.id }, data: { stage: "merge" } });

    await expect.poll(async () => (await db.story.findUniqueOrThrow({ where: { id: s.id } })).stage, { timeout: 60_000 }).toBe("done");
    // Teardown deletes the story branch right after the merge: git can no longer show the change.
    await expect.poll(() => git(repo, "branch", "--list", branch), { timeout: 30_000 }).toBe("");
    await page.goto(storyUrl(s.number));
    const changes = page.getByTestId("story-changes");
    await expect(changes.getByTestId("merged-change")).toContainText("merged into main");
    await expect(changes.getByTestId("merged-change")).toContainText("2 file(s) +3002 −0");
    await expect(changes).not.toContainText("failed");
    const small = changes.locator("details", { hasText: `story-${s.number}.txt` });
    await expect(small.locator("summary")).toContainText("added +2 −0");
    await small.locator("summary").click();
    await expect(small).toContainText("+two");
    await expect(changes.locator("details", { hasText: `big-${s.number}.txt` }).locator("summary")).toContainText("patch truncated");
    await expect(changes.getByTestId("change-truncated")).toBeVisible();
    await artifact(page, "done-story-diff");
  });
});

test.describe("item 13: form errors in plain language", () => {
  test("limits on the inputs, plain messages, cleared on edit", async ({ page, db }) => {
    await page.goto(board());
    await page.getByRole("button", { name: "New story" }).click();
    const dialog = page.getByRole("dialog", { name: "New story" });
    const title = dialog.getByLabel("New story title");
    await expect(title).toHaveAttribute("maxlength", "200");
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(dialog.getByTestId("new-story-error")).toHaveText("Title must not be empty");
    await title.fill("A");
    await expect(dialog.getByTestId("new-story-error")).toHaveCount(0);
    await page.keyboard.press("Escape");

    const s = await newStory(db, `Errors ${uid()}`);
    await page.goto(storyUrl(s.number));
    const form = page.getByTestId("front-matter");
    await expect(form.getByLabel("title")).toHaveAttribute("maxlength", "200");
    await form.getByLabel("title").fill("   ");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("front-matter-error")).toHaveText("Title must not be empty");
    await form.getByLabel("title").fill("Better");
    await expect(page.getByTestId("front-matter-error")).toHaveCount(0);

    // The server says the same, for callers that skip the form.
    const res = await page.request.post("/api/trpc/stories.create", { data: { json: { projectId: seeded().projectId, title: "x".repeat(201) } } });
    expect(res.status()).toBe(400);
    expect(((await res.json()) as { error: { json: { message: string } } }).error.json.message).toBe("Title is too long: at most 200 characters");
  });
});
