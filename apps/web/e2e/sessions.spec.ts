// Agents end to end: start one from the story page and watch its log stream live, stop it,
// resume it with context and land on the new session. Needs the runner process.
import { expect, newStory, screenshot, seeded, test, uid } from "./support/fixtures.ts";

// Asking for the worker-scoped runner fixture starts `drover runner` before these tests.
test.beforeEach(({ runner }) => {
  expect(runner.pid, "the runner process did not start").toBeDefined();
});

test("start an agent, see its log stream live, stop it, resume it with context", async ({ page, db }) => {
  const story = await newStory(db, `Agent story ${uid()}`, { stage: "current" });
  await page.goto(`/stories/${story.id}`);
  await page.getByLabel("Agent to start").selectOption("slow-coder");
  await page.getByRole("button", { name: "Start" }).click();

  // Lands on the new session's page; lines arrive while the agent runs.
  await expect(page).toHaveURL(/\/sessions\/\d+$/);
  const firstId = Number(page.url().split("/").pop());
  await expect(page.getByTestId("session-status")).toHaveText("running");
  await expect(page.getByText("slow-coder line 2 of 300")).toBeVisible();
  const count = page.getByTestId("event-count");
  const before = Number((await count.textContent())!.split(" ")[0]);
  await expect.poll(async () => Number((await count.textContent())!.split(" ")[0])).toBeGreaterThan(before + 2);
  await screenshot(page, "session-live");

  // The runners page shows the runner and the session it runs.
  await page.goto("/runners");
  await expect(page.getByTestId("runners")).toContainText(`slow-coder on #${story.number}`);
  await screenshot(page, "runners");

  // The board card shows the agent on it, live: ● running.
  await page.goto(`/?project=${seeded().projectId}`);
  const card = page.getByTestId(`card-${story.number}`);
  await expect(card.getByTestId("card-agent")).toContainText("slow-coder");
  await expect(card.locator('[data-status="running"]')).toHaveText("●");
  await screenshot(page, "board-agent-running");
  await page.goto(`/sessions/${firstId}`);
  await expect(page.getByTestId("session-status")).toHaveText("running");

  // Stop.
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByTestId("session-status")).toHaveText("stopped");
  const stopped = await db.agentSession.findUniqueOrThrow({ where: { id: firstId } });
  expect(stopped.status).toBe("stopped");

  // Resume with context: a command agent has no runtime session id, so "fresh" is the choice.
  const form = page.getByTestId("resume-form");
  await form.getByLabel("Context", { exact: true }).fill("Carry on from line 3, please.");
  await form.getByRole("button", { name: "Resume" }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/(?!${firstId}$)\\d+$`));
  const secondId = Number(page.url().split("/").pop());
  await expect(page.getByText("Context given: Carry on from line 3, please.")).toBeVisible();
  await expect(page.getByText(`resumes session ${firstId}`)).toBeVisible();
  await expect(page.getByText("slow-coder line 2 of 300")).toBeVisible();
  const resumed = await db.agentSession.findUniqueOrThrow({ where: { id: secondId } });
  expect(resumed.resumeOfId).toBe(firstId);
  expect(resumed.resumeContext).toBe("Carry on from line 3, please.");
  await screenshot(page, "session-resumed");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByTestId("session-status")).toHaveText("stopped");
});

test("a start the rules refuse shows the reason inline", async ({ page, db }) => {
  // A coder works in current; this story is in backlog... the start rules decide; whatever
  // they say must be shown. Use a busy agent: start helper twice.
  const s1 = await newStory(db, `Busy one ${uid()}`, { stage: "current" });
  const s2 = await newStory(db, `Busy two ${uid()}`, { stage: "current" });
  await page.goto(`/stories/${s1.id}`);
  await page.getByLabel("Agent to start").selectOption("helper");
  await page.getByRole("button", { name: "Start" }).click();
  await expect(page).toHaveURL(/\/sessions\/\d+$/);
  await page.goto(`/stories/${s2.id}`);
  await expect(page.getByLabel("Agent to start").locator("option", { hasText: `busy on #${s1.number}` })).toHaveCount(1);
  await page.getByLabel("Agent to start").selectOption("helper");
  await page.getByRole("button", { name: "Start" }).click();
  await expect(page.getByTestId("action-error")).toContainText(/helper/i);
  await screenshot(page, "story-start-refused");
  // Clean up: stop helper.
  const active = await db.agentSession.findFirstOrThrow({ where: { storyId: s1.id, status: { in: ["pending", "running"] } } });
  await page.goto(`/sessions/${active.id}`);
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByTestId("session-status")).toHaveText("stopped");
  void seeded;
});
