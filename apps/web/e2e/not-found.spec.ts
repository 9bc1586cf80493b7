// Issue #18 item 12: every page has its own title; an unknown story, session, agent or project
// answers 404 with a page that leads somewhere, and the browser does not retry a missing record.
import { expect, newStory, seeded, test, uid } from "./support/fixtures.ts";
import { archiveFixtureStories } from "./support/tidy.ts";

test.afterEach(({ db }) => archiveFixtureStories(db));

// The story pages by project and number (the e2e project is also addressed by its name), and the old /stories/<id>.
const missing = [
  "/stories/999999",
  "/stories/abc",
  "/projects/e2e/stories/999999",
  "/projects/e2e/stories/abc",
  "/projects/no-such-project/stories/1",
  "/sessions/999999",
  "/agents/999999",
  "/?project=999999",
];
for (const url of missing) {
  test(`${url} is a 404 page with a way back`, async ({ page }) => {
    const res = await page.goto(url);
    expect(res!.status()).toBe(404);
    await expect(page).toHaveTitle("Not found · Drover");
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await page.getByRole("link", { name: "Go to the board" }).click();
    await expect(page.getByTestId("live-indicator")).toBeVisible();
  });
}

test("a missing story's query is asked once, not retried", async ({ page }) => {
  const asked: string[] = [];
  page.on("request", (r) => r.url().includes("views.story") && asked.push(r.url()));
  await page.goto(`/projects/${seeded().projectId}/stories/999998`);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await page.waitForTimeout(3_000); // TanStack Query's retries would come within this (1 s, 2 s)
  expect(asked.length).toBeLessThanOrEqual(1);
});

test("pages are titled by what they show", async ({ page, db }) => {
  const p = seeded().projectId;
  const story = await newStory(db, `Titled ${uid()}`);
  await page.goto(`/?project=${p}`);
  await expect(page).toHaveTitle("Board · e2e · Drover");
  await page.goto(`/projects/${p}/stories/${story.number}`);
  await expect(page).toHaveTitle(`#${story.number} ${story.title} · Drover`);
  await page.goto(`/stories/${story.id}`); // the old address redirects to the new one
  await expect(page).toHaveTitle(`#${story.number} ${story.title} · Drover`);
  for (const [path, title] of [
    ["/roster", "Roster"],
    ["/activity", "Activity"],
    ["/runners", "Runners"],
    ["/settings", "Settings"],
    ["/projects/new", "Add a project"],
  ]) {
    await page.goto(`${path}?project=${p}`);
    await expect(page).toHaveTitle(`${title} · Drover`);
  }
  const agent = await db.agent.findFirstOrThrow({ where: { projectId: p, name: "quick-coder" } });
  await page.goto(`/agents/${agent.id}`);
  await expect(page).toHaveTitle("quick-coder (agent) · Drover");
  const session = await db.agentSession.create({
    data: { projectId: p, storyId: story.id, agentId: agent.id, stage: "coder", status: "completed", runtime: "command" },
  });
  await page.goto(`/sessions/${session.id}`);
  await expect(page).toHaveTitle(`Session ${session.id} · #${story.number} ${story.title} · Drover`);
});
