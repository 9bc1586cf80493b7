// Issue #18 item 11: the board's cards come with the page (rendered on the server), so it never
// shows every column at 0 before the data arrives.
import { expect, newStory, seeded, test, uid } from "./support/fixtures.ts";
import { archiveFixtureStories } from "./support/tidy.ts";

test.afterEach(({ db }) => archiveFixtureStories(db));

test("the board's HTML already holds its cards and counts", async ({ request, db }) => {
  const story = await newStory(db, `In the HTML ${uid()}`);
  const res = await request.get(`/?project=${seeded().projectId}`);
  expect(res.status()).toBe(200);
  const html = await res.text();
  expect(html).toContain(`data-testid="card-${story.number}"`);
  expect(html).toContain(story.title);
  expect(html).toContain('data-testid="column-backlog"');
});

test("no column count reads 0 at any moment while a board with cards loads", async ({ page, db }) => {
  await newStory(db, `No flash ${uid()}`);
  // Every count the backlog column shows, from the first parsed byte on.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __backlogCounts: string[] }).__backlogCounts = seen;
    const look = () => {
      const t = document.querySelector('[data-testid="column-backlog"] h2 span:last-child')?.textContent;
      if (t !== undefined && t !== null && seen[seen.length - 1] !== t) seen.push(t);
    };
    new MutationObserver(look).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.goto(`/?project=${seeded().projectId}`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "1");
  const counts = await page.evaluate(() => (window as unknown as { __backlogCounts: string[] }).__backlogCounts);
  expect(counts.length).toBeGreaterThan(0);
  expect(counts).not.toContain("0");
});
