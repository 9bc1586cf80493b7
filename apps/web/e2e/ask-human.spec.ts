// Issue #15: a real Claude Code session, run by the real runner against a mock model server, asks a
// person through Drover's ask_human MCP tool. The board and the story page show the question; the
// person answers in the browser, and the resumed session (the real CLI again, the same conversation)
// sends the answer to the model.
import { addProject, createStory, startAgent } from "@drover/db/services/index";
import { testActor } from "@drover/db/testing/actors";
import { repoAccess } from "@drover/repo";
import { startMockModel } from "../../runner/test/mock-models/server.ts";
import { requestText } from "../../runner/test/mock-models/script.ts";
import type { Db } from "@drover/db";
import { artifact, expect, test, uid } from "./support/fixtures.ts";
import { repoWithRoster } from "./support/repo.ts";

const KEY = "sk-mock-ask";

/** A roster with one Claude Code agent that talks to the mock at `url` (stage "other": only the test starts it). */
const roster = (url: string) =>
  [
    "[[agent]]",
    'name = "asker"',
    'stage = "other"',
    'runtime = "claude-code"',
    'model = "claude-sonnet-4-5"',
    "inactivity_timeout_secs = 60",
    `env = { ANTHROPIC_BASE_URL = "${url}", ANTHROPIC_API_KEY = "${KEY}", DROVER_API_RETRIES = "0" }`,
    "",
  ].join("\n");

/** Waits for a session to end; fails with its last log lines when it does not complete. */
async function completed(db: Db, id: number) {
  await expect
    .poll(async () => (await db.agentSession.findUniqueOrThrow({ where: { id } })).status, { timeout: 45_000, intervals: [250] })
    .toMatch(/^(completed|failed|stopped|interrupted)$/);
  const s = await db.agentSession.findUniqueOrThrow({ where: { id } });
  const log = (await db.sessionEvent.findMany({ where: { sessionId: id }, orderBy: { seq: "asc" } })).map((e) => `${e.kind}: ${e.text ?? ""}`);
  expect(s.status, `session ${id}: ${s.message ?? ""}\n${log.slice(-40).join("\n")}`).toBe("completed");
  return s;
}

test("a real Claude Code asks through ask_human; the answer typed in the browser reaches the model in the resumed conversation", async ({
  page,
  db,
  runner,
}) => {
  expect(runner.pid, "the runner process did not start").toBeDefined();
  const question = `Should logins accept e-mail addresses? ${uid()}`;
  const answer = `Yes, e-mail first. ${uid()}`;
  const m = await startMockModel(
    "anthropic",
    [
      { kind: "tool", name: "ask_human", input: { question } },
      { kind: "text", text: "Waiting for the answer." },
      { kind: "text", text: "Thanks: e-mail it is." },
    ],
    { credential: KEY },
  );
  try {
    const repo = repoWithRoster(roster(m.url), "ask");
    const { project } = await addProject(db, { repoPath: repo, name: `ask-${uid()}` }, repoAccess, testActor);
    const title = `Login ASKING-${uid()}`;
    const story = await createStory(db, { projectId: project.id, title }, testActor);
    const asking = await startAgent(db, { projectId: project.id, storyNumber: story.number, agentName: "asker", trigger: "user" }, testActor);

    // The CLI calls the tool: the board shows the story as needing input, with the question, live.
    await page.goto(`/?project=${project.id}`);
    await expect(page.getByTestId("card-needs-input").filter({ hasText: question })).toBeVisible({ timeout: 45_000 });
    await artifact(page, 15, "board-needs-input");

    await page.goto(`/projects/${project.id}/stories/${story.number}`);
    await expect(page.getByTestId("story-question-text")).toHaveText(question);
    await expect(page.getByTestId("story-question")).toContainText("Needs input from asker");
    await page.getByLabel("Your answer").fill(answer);
    await artifact(page, 15, "story-needs-input");
    // The asking session ends waiting (the answer resumes it, so it must have ended first).
    const asked = await completed(db, asking.id);
    expect(asked.runtimeSessionId, "Claude Code reported no session id to resume").toBeTruthy();
    const before = m.mainRequests().length;
    await page.getByRole("button", { name: "Answer and resume" }).click();
    await expect(page).toHaveURL(/\/sessions\/\d+$/);

    const resumed = await db.agentSession.findFirstOrThrow({ where: { resumeOfId: asking.id } });
    expect(page.url()).toMatch(new RegExp(`/sessions/${resumed.id}$`));
    expect(resumed).toMatchObject({ trigger: "resume", resumeRuntimeSessionId: asked.runtimeSessionId });
    expect(resumed.prompt).toContain(`You asked a person: ${question}`);
    expect(resumed.prompt).toContain(answer);
    const done = await completed(db, resumed.id);
    await expect(page.getByTestId("result-box")).toContainText("Thanks: e-mail it is.");

    // The resumed CLI sent the answer to the model, in the same conversation: the earlier turns
    // (the story's prompt, the ask_human call) come with it, under the same Claude Code session.
    expect(done.runtimeSessionId).toBe(asked.runtimeSessionId);
    const sent = m.mainRequests().slice(before);
    expect(sent.length, "the resumed session sent the model no request").toBeGreaterThan(0);
    const seen = sent.map((r) => requestText(r.body)).join("\n");
    expect(seen).toContain(answer);
    expect(seen).toContain(title);
    expect(JSON.stringify(sent.at(-1)!.body)).toContain('"name":"mcp__drover__ask_human"');
    for (const r of sent) expect(String((r.body as { metadata?: { user_id?: unknown } }).metadata?.user_id)).toContain(asked.runtimeSessionId!);
    expect(await db.story.findUniqueOrThrow({ where: { id: story.id } })).toMatchObject({ blocked: false, inputQuestion: null });
  } finally {
    await m.close();
  }
});
