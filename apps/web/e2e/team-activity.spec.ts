// Who did what, in the browser: a person approves the demo's bug from its story page, the runner's
// auto-assign starts coders, and the activity feed and the story page name each of them.
// (Named to run after the board spec, which reads the demo project as seeded.)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, seeded, test } from "./support/fixtures.ts";

const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test-results/artifacts/13");

test.beforeEach(({ runner }) => {
  expect(runner.pid, "the runner process did not start").toBeDefined();
});

test("the activity feed and the story page show who made each change", async ({ page, db }) => {
  const projectId = seeded().demoProjectId;
  const bug = await db.story.findFirstOrThrow({ where: { projectId, title: "Welcome banner has a typo" } });
  await page.goto(`/stories/${bug.id}`);
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("story-stage")).not.toHaveText("qa");

  // The story page: the approval is the local operator's (the API's actor until sign-in).
  const approved = page.getByTestId("story-activity").locator("li", { hasText: "approved" });
  await expect(approved.getByTestId("event-actor")).toHaveText(/ \(local\)$/);
  await expect(approved.getByTestId("event-actor")).toHaveAttribute("data-actor-kind", "user");

  // The feed: the person, auto-assign starting a coder, and the runner that ran it.
  await page.goto(`/activity?project=${projectId}`);
  const feed = page.getByTestId("activity");
  const row = (actor: RegExp, text: RegExp) =>
    feed
      .locator("li")
      .filter({ has: page.getByTestId("event-actor").getByText(actor) })
      .filter({ hasText: text });
  await expect(row(/ \(local\)$/, /Story \d+ approved/).first()).toBeVisible();
  await expect(row(/^auto-assign$/, /coder-\d started on story \d+/).first()).toBeVisible({ timeout: 60_000 });
  await expect(row(/^runner /, /started on story/).first()).toBeVisible({ timeout: 60_000 });
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, "activity-with-names.png"), fullPage: true });
});
