// A compacted session log: the page says so, the kept events show, and the raw download is the
// full log byte for byte as it was before compaction.
import { compactSession } from "@drover/db/services/index";
import { expect, newStory, recordedSession, test, uid } from "./support/fixtures.ts";

test("compacted session: notice with counts, kept events shown, raw download unchanged", async ({ page, db }) => {
  const story = await newStory(db, `Compacted story ${uid()}`);
  const session = await recordedSession(db, story, { status: "completed", finishedAt: new Date(Date.now() - 40 * 86_400_000) });
  await db.sessionEvent.createMany({
    data: Array.from({ length: 300 }, (_, seq) =>
      seq === 299
        ? { sessionId: session.id, seq, kind: "result", text: "all done", payload: { isError: false }, raw: '{"type":"result","ü":"✓"}' }
        : { sessionId: session.id, seq, kind: "thinking", text: `pondering ${seq}`, raw: `{"type":"thinking","n":${seq}}` },
    ),
  });
  const before = await (await page.request.get(`/api/sessions/${session.id}/raw`)).body();
  expect(before.toString("utf8").split("\n")).toHaveLength(301);

  await page.goto(`/sessions/${session.id}`);
  await expect(page.getByTestId("session-title")).toBeVisible();
  await expect(page.getByTestId("session-compacted")).toHaveCount(0);

  expect(await compactSession(db, session.id)).toMatchObject({ eventsBefore: 300, eventsKept: 1 });
  await page.reload();
  const today = new Date().toISOString().slice(0, 10);
  await expect(page.getByTestId("session-compacted")).toHaveText(`Compacted on ${today}: 1 events kept of 300; the full raw log is still downloadable.`);
  await expect(page.getByText("all done")).toBeVisible();

  const after = await page.request.get(`/api/sessions/${session.id}/raw`);
  expect(after.status()).toBe(200);
  expect((await after.body()).toString("utf8")).toBe(before.toString("utf8"));
  expect(Buffer.compare(await after.body(), before)).toBe(0);
});
