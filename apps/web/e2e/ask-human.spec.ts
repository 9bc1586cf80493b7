// Issue #15: an agent's question (MCP ask_human) shows on the board and the story page; a person
// answers in the browser, and the asking session is resumed with the answer in its prompt (the
// real-CLI test apps/runner/test/e2e-runtimes/mcp-claude.test.ts shows the model receiving it).
import { askHuman } from "@drover/db/services/story-talk";
import { artifact, expect, newStory, recordedSession, seeded, test, uid } from "./support/fixtures.ts";

test("a question asked by an agent is answered on the story page and resumes its session with the answer", async ({ page, db }) => {
  const story = await newStory(db, `Ask ${uid()}`);
  const asking = await recordedSession(db, story, { runtimeSessionId: `conv-${uid()}` });
  const question = `Should logins accept e-mail addresses? ${uid()}`;
  await askHuman(
    db,
    { projectId: seeded().projectId, storyNumber: story.number, question, sessionId: asking.id },
    { kind: "agent", agentName: "quick-coder", sessionId: asking.id },
  );

  await page.goto(`/?project=${seeded().projectId}`);
  await expect(page.getByTestId("card-needs-input").filter({ hasText: question })).toBeVisible();
  await artifact(page, 15, "board-needs-input");

  await page.goto(`/projects/${seeded().projectId}/stories/${story.number}`);
  await expect(page.getByTestId("story-question-text")).toHaveText(question);
  await expect(page.getByTestId("story-question")).toContainText("Needs input from quick-coder");
  const answer = `Yes, e-mail first. ${uid()}`;
  await page.getByLabel("Your answer").fill(answer);
  await artifact(page, 15, "story-needs-input");
  await page.getByRole("button", { name: "Answer and resume" }).click();
  await expect(page).toHaveURL(/\/sessions\/\d+$/);

  const resumed = await db.agentSession.findFirstOrThrow({ where: { resumeOfId: asking.id } });
  expect(page.url()).toMatch(new RegExp(`/sessions/${resumed.id}$`));
  expect(resumed).toMatchObject({ trigger: "resume", resumeRuntimeSessionId: asking.runtimeSessionId });
  expect(resumed.prompt).toContain(`You asked a person: ${question}`);
  expect(resumed.prompt).toContain(answer);
  expect(await db.story.findUniqueOrThrow({ where: { id: story.id } })).toMatchObject({ blocked: false, inputQuestion: null });
});
