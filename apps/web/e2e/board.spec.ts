// The board: demo stories in their columns, drag and drop with the API's rules, live sync
// between two browsers.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { drag } from "./support/drag.ts";
import { expect, newStory, screenshot, seeded, test, uid } from "./support/fixtures.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

test("demo board: the demo stories stand in their columns", async ({ page }) => {
  const { DEMO_STORIES } = (await import(path.join(repoRoot, "apps/runner/src/demo/stories.ts"))) as {
    DEMO_STORIES: { title: string; stage: string }[];
  };
  await page.goto(`/?project=${seeded().demoProjectId}`);
  await expect(page.getByTestId("demo-badge")).toBeVisible();
  for (const s of DEMO_STORIES) {
    await expect(page.getByTestId(`column-${s.stage}`).getByText(s.title, { exact: true })).toBeVisible();
  }
  await screenshot(page, "board-demo");
});

test("drag a card: a legal move lands, an illegal one springs back with the reason", async ({ page, db }) => {
  const story = await newStory(db, `Drag me ${uid()}`);
  await page.goto(`/?project=${seeded().projectId}`);
  const card = page.getByTestId(`card-${story.number}`);
  await expect(page.getByTestId("column-backlog").getByTestId(`card-${story.number}`)).toBeVisible();
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "1");

  // Legal: backlog -> qa.
  await drag(page, card, page.getByTestId("column-qa"));
  await expect(page.getByTestId("column-qa").getByTestId(`card-${story.number}`)).toBeVisible();
  await expect.poll(async () => (await db.story.findUniqueOrThrow({ where: { id: story.id } })).stage).toBe("qa");

  // Illegal: qa -> done (done only from merge). The card returns to qa with the server's reason.
  // (Once the moved card can be picked up again: its column re-rendered and it is movable.)
  await expect(page.getByTestId("column-qa").getByTestId(`card-${story.number}`)).toHaveAttribute("data-movable", "true");
  await drag(page, page.getByTestId("column-qa").getByTestId(`card-${story.number}`), page.getByTestId("column-done"));
  await expect(page.getByTestId("move-error")).toContainText("reaches done only from merge");
  await expect(page.getByTestId("column-qa").getByTestId(`card-${story.number}`)).toBeVisible();
  await expect(page.getByTestId("column-done").getByTestId(`card-${story.number}`)).toHaveCount(0);
  expect((await db.story.findUniqueOrThrow({ where: { id: story.id } })).stage).toBe("qa");
  await screenshot(page, "board-illegal-move");
});

test("two browsers on the same board see each other's changes within a second", async ({ browser, db }) => {
  const baseURL = process.env.DROVER_E2E_BASE_URL!;
  const a = await (await browser.newContext({ baseURL })).newPage();
  const b = await (await browser.newContext({ baseURL })).newPage();
  const url = `/?project=${seeded().projectId}`;
  await Promise.all([a.goto(url), b.goto(url)]);
  await expect(a.getByTestId("live-indicator")).toHaveAttribute("data-live", "1");
  await expect(b.getByTestId("live-indicator")).toHaveAttribute("data-live", "1");

  // A creates a story from the board; B sees it without reloading.
  const title = `Created in A ${uid()}`;
  await a.getByRole("button", { name: "New story" }).click();
  await a.getByLabel("New story title").fill(title);
  await a.getByRole("button", { name: "Create" }).click();
  await expect(a.getByTestId("column-backlog").getByText(title)).toBeVisible();
  await expect(b.getByTestId("column-backlog").getByText(title)).toBeVisible({ timeout: 1_000 });

  // A moves it; B follows.
  const created = await db.story.findFirstOrThrow({ where: { title } });
  await drag(a, a.getByTestId(`card-${created.number}`), a.getByTestId("column-current"));
  await expect(a.getByTestId("column-current").getByTestId(`card-${created.number}`)).toBeVisible();
  // A shows it at once (optimistic); from the server's commit, B has a second.
  await expect.poll(async () => (await db.story.findUniqueOrThrow({ where: { id: created.id } })).stage, { intervals: [50] }).toBe("current");
  await expect(b.getByTestId("column-current").getByTestId(`card-${created.number}`)).toBeVisible({ timeout: 1_000 });

  // A change made elsewhere (another tool writing through the services) reaches both.
  await db.story.update({ where: { id: created.id }, data: { title: `${title} (renamed)` } });
  await db.$executeRawUnsafe("SELECT pg_notify('drover_board', $1)", JSON.stringify({ projectId: seeded().projectId, storyId: created.id }));
  await expect(b.getByText(`${title} (renamed)`)).toBeVisible({ timeout: 1_000 });
  await screenshot(b, "board-two-browsers");
  await a.context().close();
  await b.context().close();
});

test("board filters and search", async ({ page, db }) => {
  const bug = await newStory(db, `Filter bug ${uid()}`);
  await db.story.update({ where: { id: bug.id }, data: { kind: "bug" } });
  const other = await newStory(db, `Filter story ${uid()}`);
  await page.goto(`/?project=${seeded().projectId}`);
  await expect(page.getByTestId(`card-${other.number}`)).toBeVisible();
  await page.getByLabel("Filter by kind").selectOption("bug");
  await expect(page.getByTestId(`card-${bug.number}`)).toBeVisible();
  await expect(page.getByTestId(`card-${other.number}`)).toHaveCount(0);
  await page.getByLabel("Filter by kind").selectOption("");
  await page.getByLabel("Search stories").fill(`#${other.number}`);
  await expect(page.getByTestId(`card-${other.number}`)).toBeVisible();
  await expect(page.getByTestId(`card-${bug.number}`)).toHaveCount(0);
  await screenshot(page, "board-search");
  expect(fs.existsSync(path.join(repoRoot, "apps/web/test-results/screenshots/board-search.png"))).toBe(true);
});
