// The session log page on a recorded session: virtualized rows, filters, search, jump to the
// next error, diffs for file edits, and the raw download.
import { expect, newStory, recordedSession, screenshot, test, uid } from "./support/fixtures.ts";

test("session log: follow, filter, search, next error, edit diff, raw download", async ({ page, db }) => {
  const story = await newStory(db, `Logged story ${uid()}`);
  const session = await recordedSession(db, story, {
    status: "failed",
    reason: "gate_failed",
    startedAt: new Date(Date.now() - 65_000),
    turns: 7,
    inputTokens: 1200,
    outputTokens: 340,
    costUsd: 0.0123,
  });
  const N = 3000;
  const rows = Array.from({ length: N }, (_, seq) => {
    if (seq === 1000) return { sessionId: session.id, seq, kind: "error", text: "first failure here", payload: { kind: "error", text: "first failure here" } };
    if (seq === 2000)
      return {
        sessionId: session.id,
        seq,
        kind: "tool_result",
        text: null,
        payload: { kind: "tool_result", id: "t1", ok: false, output: "second failure: exit 2" },
      };
    if (seq === 500)
      return {
        sessionId: session.id,
        seq,
        kind: "tool_call",
        text: null,
        payload: { kind: "tool_call", id: "e1", name: "Edit", input: { file_path: "src/greet.ts", old_string: "hello\n", new_string: "hello, world\n" } },
      };
    return {
      sessionId: session.id,
      seq,
      kind: "text",
      text: `assistant line ${seq}`,
      payload: { kind: "text", text: `assistant line ${seq}` },
      raw: `{"line":${seq}}`,
    };
  });
  await db.sessionEvent.createMany({ data: rows });

  await page.goto(`/sessions/${session.id}`);
  await expect(page.getByTestId("event-count")).toHaveText(`${N} events`);
  // Follows the tail: the last line is on screen, the first is not in the DOM at all.
  await expect(page.getByText(`assistant line ${N - 1}`, { exact: true })).toBeVisible();
  expect(await page.locator('[data-seq="1"]').count()).toBe(0);
  expect(await page.locator("[data-seq]").count()).toBeLessThan(200);

  // Next error jumps to seq 1000, then 2000.
  await page.getByTestId("next-error").click();
  await expect(page.locator('[data-seq="1000"]')).toBeVisible();
  await page.getByTestId("next-error").click();
  await expect(page.locator('[data-seq="2000"]')).toBeVisible();
  await expect(page.locator('[data-seq="2000"]')).toContainText("tool failed");

  // Filter by kind.
  await page.getByRole("button", { name: "tool_call", exact: true }).click();
  await expect(page.getByTestId("event-count")).toHaveText("1 events");
  const edit = page.locator('[data-seq="500"]');
  await edit.getByText("Edit").click();
  await expect(edit.getByText("+hello, world")).toBeVisible();
  await expect(edit.getByText("-hello", { exact: true })).toBeVisible();
  await screenshot(page, "session-log-edit-diff");
  await page.getByRole("button", { name: "tool_call", exact: true }).click();

  // Text search.
  await page.getByLabel("Search log").fill("assistant line 2999");
  await page.getByLabel("Search log").press("Enter");
  await expect(page.getByTestId("event-count")).toHaveText("1 events");
  await page.getByLabel("Search log").fill("");
  await page.getByLabel("Search log").press("Enter");
  await expect(page.getByTestId("event-count")).toHaveText(`${N} events`);
  await screenshot(page, "session-log");

  // Raw download: the lines as printed.
  const res = await page.request.get(`/api/sessions/${session.id}/raw`);
  expect(res.headers()["content-disposition"]).toContain(`session-${session.id}.log`);
  const text = await res.text();
  const lines = text.trimEnd().split("\n");
  expect(lines).toHaveLength(N);
  expect(lines[0]).toBe('{"line":0}');
  expect(lines[1000]).toContain("first failure here");
});
