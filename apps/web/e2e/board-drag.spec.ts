// Issue #18 item 10: the whole card drags (by its title too) and a click on it opens it; a drop
// just inside the next column lands there; columns a card may not enter are marked while it moves.
import type { Locator, Page } from "@playwright/test";
import { expect, newStory, screenshot, seeded, test, uid } from "./support/fixtures.ts";
import { archiveFixtureStories } from "./support/tidy.ts";
import { lift } from "./support/drag.ts";

test.afterEach(({ db }) => archiveFixtureStories(db));

async function pressAt(page: Page, target: Locator) {
  await lift(page, target, (box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 }));
}

async function openBoard(page: Page) {
  await page.goto(`/?project=${seeded().projectId}`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "1");
}

test("a card dragged by its title lands in the column it is dropped on", async ({ page, db }) => {
  const story = await newStory(db, `Title drag ${uid()}`);
  await openBoard(page);
  await pressAt(page, page.getByTestId(`card-${story.number}`).getByRole("link", { name: story.title }));
  const qa = (await page.getByTestId("column-qa").boundingBox())!;
  await page.mouse.move(qa.x + qa.width / 2, qa.y + qa.height / 2, { steps: 15 });
  await page.mouse.up();
  await expect(page.getByTestId("column-qa").getByTestId(`card-${story.number}`)).toBeVisible();
  await expect.poll(async () => (await db.story.findUniqueOrThrow({ where: { id: story.id } })).stage).toBe("qa");
});

test("a drop just inside the next column counts for that column", async ({ page, db }) => {
  const story = await newStory(db, `Edge drop ${uid()}`);
  await openBoard(page);
  await pressAt(page, page.getByTestId(`card-${story.number}`));
  const current = (await page.getByTestId("column-current").boundingBox())!;
  // 8 px past the column's left edge, at the height the card started from.
  const start = (await page.getByTestId(`card-${story.number}`).boundingBox())!;
  await page.mouse.move(current.x + 8, start.y + start.height / 2, { steps: 15 });
  await page.mouse.up();
  await expect(page.getByTestId("column-current").getByTestId(`card-${story.number}`)).toBeVisible();
  await expect.poll(async () => (await db.story.findUniqueOrThrow({ where: { id: story.id } })).stage).toBe("current");
});

test("while a card moves, the columns it may not enter are marked with the reason", async ({ page, db }) => {
  const story = await newStory(db, `Marked columns ${uid()}`);
  await openBoard(page);
  await expect(page.locator("[data-illegal]")).toHaveCount(0);
  await pressAt(page, page.getByTestId(`card-${story.number}`));
  const qa = (await page.getByTestId("column-qa").boundingBox())!;
  await page.mouse.move(qa.x + qa.width / 2, qa.y + 100, { steps: 10 });
  // From backlog, done is the one stage a story may not go to.
  await expect(page.getByTestId("column-done")).toHaveAttribute("data-illegal", "true");
  await expect(page.getByTestId("column-done").getByTestId("column-refusal")).toContainText("reaches done only from merge");
  for (const legal of ["backlog", "current", "qa", "merge"]) await expect(page.getByTestId(`column-${legal}`)).not.toHaveAttribute("data-illegal");
  await screenshot(page, "board-illegal-column-marked");
  // Dropped there anyway: refused with the reason, nothing moved.
  const done = (await page.getByTestId("column-done").boundingBox())!;
  await page.mouse.move(done.x + done.width / 2, done.y + 100, { steps: 10 });
  await page.mouse.up();
  await expect(page.getByTestId("move-error")).toContainText("reaches done only from merge");
  await expect(page.locator("[data-illegal]")).toHaveCount(0);
  expect((await db.story.findUniqueOrThrow({ where: { id: story.id } })).stage).toBe("backlog");
});

test("a click anywhere on a card opens its story", async ({ page, db }) => {
  const story = await newStory(db, `Click opens ${uid()}`);
  await openBoard(page);
  // Not on the title link: on the card's number.
  await page.getByTestId(`card-${story.number}`).getByText(`#${story.number}`, { exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${story.projectId}/stories/${story.number}$`));
});
