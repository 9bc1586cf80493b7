// Issue #18 items 15 and 17: keyboard and screen-reader use of the board (a lifted card looks
// lifted, announcements name stories, one tab stop per card, focus back after creating a story, a
// skip link, Radix dialog), and the small things everyone meets (favicon, activity rows, switcher).
import type { Page } from "@playwright/test";
import { expect, newStory, screenshot, seeded, test, uid } from "./support/fixtures.ts";
import { archiveFixtureStories } from "./support/tidy.ts";

test.afterEach(({ db }) => archiveFixtureStories(db));

async function openBoard(page: Page, projectId = seeded().projectId) {
  await page.goto(`/?project=${projectId}`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "1");
}

test("a card lifted with the keyboard looks lifted, and the announcement names the story", async ({ page, db }) => {
  const story = await newStory(db, `Keyboard lift ${uid()}`);
  await openBoard(page);
  const card = page.getByTestId(`card-${story.number}`);
  await card.focus();
  await page.keyboard.press("Space");
  await expect(card).toHaveAttribute("data-dragging", "true");
  const overlay = page.getByTestId("drag-overlay");
  await expect(overlay).toBeVisible();
  expect(await overlay.evaluate((el) => getComputedStyle(el).boxShadow)).not.toBe("none");
  expect(await overlay.evaluate((el) => getComputedStyle(el).rotate)).not.toBe("none");
  await screenshot(page, "board-keyboard-lift");
  const live = page.locator('[id^="DndLiveRegion-"]');
  await expect(live).toContainText(`Picked up story #${story.number} "${story.title}"`);
  await page.keyboard.press("ArrowRight");
  await expect(live).toContainText(`story #${story.number} "${story.title}" is over`);
  await expect(live).not.toContainText(/Draggable item|droppable area/);
  await page.keyboard.press("Escape");
  await expect(live).toContainText(`Moving story #${story.number} "${story.title}" was cancelled`);
  expect((await db.story.findUniqueOrThrow({ where: { id: story.id } })).stage).toBe("backlog");
});

test("each card is one tab stop, and Enter opens it", async ({ page, db }) => {
  const story = await newStory(db, `One stop ${uid()}`);
  await openBoard(page);
  const card = page.getByTestId(`card-${story.number}`);
  await card.focus();
  await page.keyboard.press("Tab");
  const stillInside = await card.evaluate((el) => el.contains(document.activeElement) && el !== document.activeElement);
  expect(stillInside).toBe(false);
  await card.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/projects/${story.projectId}/stories/${story.number}$`));
});

test("after creating a story in the dialog, focus is back on New story", async ({ page, db }) => {
  await openBoard(page);
  const title = `Focus back ${uid()}`;
  await page.getByRole("button", { name: "New story" }).click();
  await expect(page.getByRole("dialog", { name: "New story" })).toBeVisible();
  await page.getByLabel("New story title").fill(title);
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByTestId("column-backlog").getByText(title)).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New story" })).toBeFocused();
  expect(await db.story.count({ where: { title } })).toBe(1);
});

test("a skip link is the first stop and moves focus to the page's content", async ({ page }) => {
  await openBoard(page);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("MAIN");
});

test("no 404s on a page (favicon), the switcher names the demo once, activity rows keep their parts apart", async ({ page, db }) => {
  const missing: string[] = [];
  page.on("response", (r) => r.status() === 404 && missing.push(r.url()));
  await openBoard(page, seeded().demoProjectId);
  expect(missing).toEqual([]);
  expect((await page.request.get("/icon.svg")).status()).toBe(200);
  const demoOption = page.getByLabel("Project").locator(`option[value="${seeded().demoProjectId}"]`);
  await expect(demoOption).toHaveText("demo");

  const story = await newStory(db, `Activity spacing ${uid()}`);
  await page.goto(`/activity?project=${seeded().projectId}`);
  const row = page.getByTestId("activity").locator("li", { hasText: story.title }).first();
  await expect(row).toBeVisible();
  // Every kind stays inside its column (wraps rather than spills into the message).
  const spilled = await page
    .getByTestId("activity")
    .locator("li > span:first-of-type")
    .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent));
  expect(spilled).toEqual([]);
  // The story number and the message read apart ("#12 Story 12 created", not "#12Story 12 created").
  expect(await row.textContent()).toMatch(new RegExp(`#${story.number} `));
  await screenshot(page, "activity-rows");
});
