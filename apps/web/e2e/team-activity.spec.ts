// Who did what, in the browser: a person approves the demo's bug from its story page, the runner's
// auto-assign starts coders, and the activity feed and the story page name each of them.
// (Named to run after the board spec, which reads the demo project as seeded.)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { expect, seeded, test } from "./support/fixtures.ts";
import { ADMIN } from "./support/sign-in.ts";

const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test-results/artifacts/13");

test.beforeEach(({ runner }) => {
  expect(runner.pid, "the runner process did not start").toBeDefined();
});

test("the activity feed and the story page show who made each change", async ({ page, db }) => {
  const projectId = seeded().demoProjectId;
  const bug = await db.story.findFirstOrThrow({ where: { projectId, title: "Welcome banner has a typo" } });
  await page.goto(`/projects/${projectId}/stories/${bug.number}`);
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("story-stage")).not.toHaveText("qa");

  // The story page: the approval is the signed-in person's.
  const approved = page.getByTestId("story-activity").locator("li", { hasText: "approved" });
  await expect(approved.getByTestId("event-actor")).toHaveText(ADMIN.name);
  await expect(approved.getByTestId("event-actor")).toHaveAttribute("data-actor-kind", "user");

  // The feed: the person, auto-assign starting a coder, and the runner that ran it.
  await page.goto(`/activity?project=${projectId}`);
  const feed = page.getByTestId("activity");
  const row = (actor: RegExp, text: RegExp) =>
    feed
      .locator("li")
      .filter({ has: page.getByTestId("event-actor").getByText(actor) })
      .filter({ hasText: text });
  await expect(row(new RegExp(`^${ADMIN.name}$`), /Story \d+ approved/).first()).toBeVisible();
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
