// The story page: sanitized markdown, criteria, and its other parts.
import { expect, newStory, screenshot, test, uid } from "./support/fixtures.ts";

test("a story body holding a script tag renders it as text and never runs it", async ({ page, db }) => {
  const body = [
    "Some **bold** text.",
    "",
    "<script>window.__pwned = 1</script>",
    "",
    '<img src="x" onerror="window.__pwned = 2">',
    "",
    "[click](javascript:window.__pwned=3)",
    "",
    "## Acceptance Criteria",
    "",
    "- [x] First",
    "- [ ] Second",
  ].join("\n");
  const story = await newStory(db, `Script story ${uid()}`, { body });
  const dialogs: string[] = [];
  page.on("dialog", (d) => (dialogs.push(d.message()), void d.dismiss()));
  await page.goto(`/stories/${story.id}`);
  const rendered = page.getByTestId("story-body");
  await expect(rendered.locator("strong")).toHaveText("bold");
  await expect(rendered).toContainText("<script>window.__pwned = 1</script>");
  await expect(rendered).toContainText('<img src="x" onerror="window.__pwned = 2">');
  expect(await rendered.locator("script, img").count()).toBe(0);
  await rendered.getByText("click").click().catch(() => {});
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  await expect(page.getByText("Acceptance criteria (1/2)")).toBeVisible();
  await screenshot(page, "story-page");
});
