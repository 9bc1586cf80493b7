// Issue #18 item 14: the session log's search applies as one types and marks matches, its filters
// live in the address, a filter with no match says so, "Next error" stops at stderr lines saying
// ERROR, a stopped session's result is not a green success, and a finished session has no
// "Pause following".
import type { Db } from "@drover/db";
import { expect, newStory, screenshot, seeded, test, uid } from "./support/fixtures.ts";
import { archiveFixtureStories } from "./support/tidy.ts";

test.afterEach(({ db }) => archiveFixtureStories(db));

async function finishedSession(db: Db, status: "stopped" | "completed", reason: string) {
  const story = await newStory(db, `Log viewer ${uid()}`);
  const agent = await db.agent.findFirstOrThrow({ where: { projectId: seeded().projectId, name: "quick-coder" } });
  const session = await db.agentSession.create({
    data: { projectId: seeded().projectId, storyId: story.id, agentId: agent.id, stage: "coder", status, reason, runtime: "command", finishedAt: new Date() },
  });
  const texts = ["reading the code", "running the tests", "ERROR: disk full while writing coverage", "still going", "all done"];
  await db.sessionEvent.createMany({
    data: [
      ...texts.map((text, seq) => ({ sessionId: session.id, seq, kind: seq === 2 ? "stderr" : "text", text, payload: { kind: "text", text } })),
      { sessionId: session.id, seq: 5, kind: "result", text: null, payload: { kind: "result", outcome: "success", isError: false, turns: 3 } },
    ],
  });
  return session;
}

test("a stopped session: search as you type with marked matches, filters in the address, no-match message, stderr errors, result not green", async ({
  page,
  db,
}) => {
  const session = await finishedSession(db, "stopped", "stopped");
  await page.goto(`/sessions/${session.id}`);
  await expect(page.getByTestId("event-count")).toHaveText("6 events");

  // Finished: nothing to follow.
  await expect(page.getByTestId("follow-toggle")).toHaveCount(0);
  // The result of a stopped session is not drawn as a success.
  const result = page.getByTestId("result-box");
  await expect(result).toContainText("(session stopped)");
  await expect(result).not.toHaveAttribute("data-tone", "emerald");

  // "Next error" counts and visits the stderr line that says ERROR.
  await expect(page.getByTestId("next-error")).toHaveText("Next error (1)");
  await page.getByTestId("next-error").click();
  await expect(page.locator('[data-seq="2"]')).toHaveAttribute("data-error", "1");

  // Typing filters without Enter, marks the match, and writes the address.
  await page.getByLabel("Search log").pressSequentially("disk full");
  await expect(page.getByTestId("event-count")).toHaveText("1 events");
  await expect(page).toHaveURL(/[?&]q=disk\+full/);
  await expect.poll(() => page.evaluate(() => CSS.highlights.get("log-search")?.size ?? 0)).toBe(1);
  await screenshot(page, "session-log-search-as-you-type");

  // The address keeps the filter across a reload.
  await page.reload();
  await expect(page.getByLabel("Search log")).toHaveValue("disk full");
  await expect(page.getByTestId("event-count")).toHaveText("1 events");

  // A filter nothing matches says so, and offers a way out.
  await page.getByRole("button", { name: "tool_call", exact: true }).click();
  await expect(page).toHaveURL(/kinds=tool_call/);
  await expect(page.getByTestId("log-empty")).toContainText("No events match");
  await expect(page.getByTestId("log-empty")).not.toContainText("No events yet");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByTestId("event-count")).toHaveText("6 events");
});

test("a completed session's header says completed once", async ({ page, db }) => {
  const session = await finishedSession(db, "completed", "completed");
  await page.goto(`/sessions/${session.id}`);
  await expect(page.getByTestId("session-status")).toHaveText("completed");
  await expect(page.getByTestId("session-reason")).toHaveCount(0);
  await expect(page.getByTestId("result-box")).toHaveAttribute("data-tone", "emerald");
});
