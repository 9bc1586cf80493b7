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
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`/stories/${story.id}`);
  const rendered = page.getByTestId("story-body");
  await expect(rendered.locator("strong")).toHaveText("bold");
  await expect(rendered).toContainText("<script>window.__pwned = 1</script>");
  await expect(rendered).toContainText('<img src="x" onerror="window.__pwned = 2">');
  expect(await rendered.locator("script, img").count()).toBe(0);
  await rendered
    .getByText("click")
    .click()
    .catch(() => {});
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  await expect(page.getByText("Acceptance criteria (1/2)")).toBeVisible();
  await screenshot(page, "story-page");
});

test("human QA from the story page: reject needs notes and sends the story back; approve sends it to merge", async ({ page, db }) => {
  const a = await newStory(db, `Review reject ${uid()}`, { stage: "qa" });
  await db.story.update({ where: { id: a.id }, data: { reviewHold: true } });
  await page.goto(`/stories/${a.id}`);
  await expect(page.getByTestId("story-stage")).toHaveText("qa");
  await page.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByTestId("action-error")).toContainText("notes must not be empty");
  await page.getByLabel("QA notes").fill("The greeting still says hello world.");
  await page.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByTestId("story-stage")).toHaveText("current");
  expect((await db.story.findUniqueOrThrow({ where: { id: a.id } })).body).toContain("The greeting still says hello world.");

  const b = await newStory(db, `Review approve ${uid()}`, { stage: "qa" });
  await db.story.update({ where: { id: b.id }, data: { reviewHold: true } });
  await page.goto(`/stories/${b.id}`);
  await page.getByRole("button", { name: "Approve" }).click();
  // Once in merge, a running runner may merge it at once: either way it has left qa.
  await expect(page.getByTestId("story-stage")).toHaveText(/merge|done/);
  await screenshot(page, "story-approved");
});

test("front matter edits are validated in the page and saved through the API", async ({ page, db }) => {
  const dep = await newStory(db, `Depended on ${uid()}`);
  const s = await newStory(db, `Front matter ${uid()}`);
  await page.goto(`/stories/${s.id}`);
  const form = page.getByTestId("front-matter");
  await form.getByLabel("title").fill("");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("front-matter-error")).toHaveText("Title must not be empty");
  await form.getByRole("button", { name: "Pick stories" }).click();
  await page.getByRole("checkbox", { name: new RegExp(`#${dep.number} ${dep.title}`) }).check();
  await page.keyboard.press("Escape");
  await form.getByLabel("title").fill(`Renamed ${s.title}`);
  await form.getByLabel("qa").selectOption("human");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("Saved")).toBeVisible();
  await expect(page.getByRole("heading", { name: `#${s.number} Renamed ${s.title}` })).toBeVisible();
  const saved = await db.story.findUniqueOrThrow({ where: { id: s.id } });
  expect(saved).toMatchObject({ title: `Renamed ${s.title}`, qa: "human", dependsOn: [dep.number] });
  await screenshot(page, "story-front-matter");
});
