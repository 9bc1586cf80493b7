// Who did what, in the browser: a person approves a story from its page, the runner's auto-assign
// starts the demo's coders, and the activity feed and the story page name each of them.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { expect, newStory, seeded, test, uid } from "./support/fixtures.ts";
import { ADMIN } from "./support/sign-in.ts";

const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test-results/artifacts/13");

test.beforeEach(({ runner }) => {
  expect(runner.pid, "the runner process did not start").toBeDefined();
});

test("the activity feed and the story page show who made each change", async ({ page, db }) => {
  // A story of its own waiting for review (the demo's bug is approved by demo.spec.ts).
  const story = await newStory(db, `Review me ${uid()}`, { stage: "qa" });
  await db.story.update({ where: { id: story.id }, data: { reviewHold: true } });
  await page.goto(`/projects/${story.projectId}/stories/${story.number}`);
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("story-stage")).not.toHaveText("qa");

  // The story page: the approval is the signed-in person's.
  const approved = page.getByTestId("story-activity").locator("li", { hasText: "approved" });
  await expect(approved.getByTestId("event-actor")).toHaveText(ADMIN.name);
  await expect(approved.getByTestId("event-actor")).toHaveAttribute("data-actor-kind", "user");

  // The feed: the person; in the demo project, auto-assign starting a coder and the runner that ran it.
  const row = (actor: RegExp, text: RegExp) =>
    page
      .getByTestId("activity")
      .locator("li")
      .filter({ has: page.getByTestId("event-actor").getByText(actor) })
      .filter({ hasText: text });
  await page.goto(`/activity?project=${story.projectId}`);
  await expect(row(new RegExp(`^${ADMIN.name}$`), new RegExp(`Story ${story.number} approved`)).first()).toBeVisible();
  await page.goto(`/activity?project=${seeded().demoProjectId}`);
  await expect(row(/^auto-assign$/, /coder-\d started on story \d+/).first()).toBeVisible({ timeout: 60_000 });
  await expect(row(/^runner /, /started on story/).first()).toBeVisible({ timeout: 60_000 });
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, "activity-with-names.png"), fullPage: true });
});

test("the audit trail downloads as CSV and JSON lines that parse", async ({ page, db }) => {
  const { request } = page; // the signed-in admin's cookies
  const projectId = seeded().demoProjectId;
  const admin = await db.user.findUniqueOrThrow({ where: { email: ADMIN.email } });
  const csv = await request.get(`/api/audit?format=csv&projectId=${projectId}&kind=review_approved`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
  const rows = parse(await csv.text(), { columns: true }) as Record<string, string>[];
  expect(rows).toEqual([
    expect.objectContaining({ kind: "review_approved", actor_kind: "user", actor_id: admin.id, actor_name: ADMIN.name, project_name: "demo" }),
  ]);

  const jsonl = await request.get(`/api/audit?format=jsonl&projectId=${projectId}&actorKind=automation`);
  const objs = (await jsonl.text())
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as { actor_kind: string; actor_name: string });
  expect(objs.length).toBeGreaterThan(0);
  expect(objs.every((o) => o.actor_kind === "automation")).toBe(true);
  expect(objs.map((o) => o.actor_name)).toContain("auto-assign");

  const bad = await request.get("/api/audit?format=xml");
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toMatch(/format "xml" is not supported: use csv or jsonl/);
});
