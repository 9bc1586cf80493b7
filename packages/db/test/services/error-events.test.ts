// Which session events are errors: core's isErrorEvent (the log view's red rows) and the SQL the
// session index filters with (its "jump to next error") must pick the same events.
import { afterAll, beforeAll, expect, it } from "vitest";
import { isErrorEvent } from "@drover/core/runtimes/error-events";
import { errorEventSql } from "../../src/services/session-views.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { projectWithRoster } from "@drover/db/testing/project-fixtures";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

it("the SQL and isErrorEvent agree on every kind and payload shape", async () => {
  const project = await projectWithRoster(t.db);
  const agent = await t.db.agent.findFirstOrThrow({ where: { projectId: project.id } });
  const story = await t.db.story.create({ data: { projectId: project.id, number: 1, slug: "one", title: "One" } });
  const session = await t.db.agentSession.create({
    data: { projectId: project.id, storyId: story.id, agentId: agent.id, stage: "coder", status: "failed", runtime: "command" },
  });
  const events: { kind: string; payload: object | null; text?: string }[] = [
    { kind: "error", payload: null },
    { kind: "error", payload: { fatal: false } },
    { kind: "tool_result", payload: { ok: false, output: "boom" } },
    { kind: "tool_result", payload: { ok: true } },
    // Only the boolean counts, in both.
    { kind: "tool_result", payload: { ok: "false" } },
    { kind: "tool_result", payload: null },
    { kind: "gate", payload: { passed: false } },
    { kind: "gate", payload: { passed: true } },
    { kind: "gate", payload: {} },
    { kind: "result", payload: { isError: true } },
    { kind: "result", payload: { isError: false } },
    { kind: "result", payload: { isError: "true" } },
    { kind: "text", payload: { ok: false, passed: false, isError: true } },
    { kind: "stderr", payload: null },
    // stderr lines count when they say they are errors; other kinds' text never does.
    { kind: "stderr", payload: null, text: "ERROR: could not connect" },
    { kind: "stderr", payload: null, text: "npm error code ELIFECYCLE" },
    { kind: "stderr", payload: null, text: "TypeError: x is not a function" },
    { kind: "stderr", payload: null, text: "Found 0 errors. Watching for file changes." },
    { kind: "stderr", payload: null, text: "terrorism_test.go passed" },
    { kind: "text", payload: null, text: "ERROR: not a stderr line" },
  ];
  await t.db.sessionEvent.createMany({
    data: events.map((e, seq) => ({ sessionId: session.id, seq, kind: e.kind, text: e.text ?? null, ...(e.payload ? { payload: e.payload } : {}) })),
  });
  const rows = await t.db.$queryRaw<{ seq: number }[]>`SELECT seq FROM session_events WHERE session_id = ${session.id} AND ${errorEventSql()} ORDER BY seq`;
  const expected = events.flatMap((e, seq) => (isErrorEvent(e) ? [seq] : []));
  expect(rows.map((r) => Number(r.seq))).toEqual(expected);
  // Not vacuous: the table marks these shapes, and only these.
  expect(expected).toEqual([0, 1, 2, 6, 9, 14, 15, 16]);
});
