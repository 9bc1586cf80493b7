// Event retention on real Postgres: a compacted session keeps its result, errors, status lines,
// one line per tool call and its last text lines, deletes the rest, and its raw download stays
// byte-identical; running sessions and projects with event_retention_days = 0 are never touched.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/client.ts";
import { compactProject, compactSession, KEPT_TEXT_LINES } from "../../src/services/session-compaction.ts";
import { rawSessionLog, sessionIndex } from "../../src/services/session-views.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { projectWithRoster, ROSTER } from "@drover/db/testing/project-fixtures";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const DAY = 86_400_000;

async function rawText(db: Db, sessionId: number): Promise<string> {
  const lines = await rawSessionLog(db, sessionId);
  let s = "";
  for await (const c of lines!) s += c;
  return s;
}

let storyNo = 0;
/** A session with a realistic log: init, many text lines, tool calls and results, stderr, an error, a result. */
async function sessionWithLog(
  db: Db,
  projectId: number,
  opts: { status?: "running" | "completed" | "failed"; finishedDaysAgo?: number; agentIndex?: number } = {},
) {
  const agents = await db.agent.findMany({ where: { projectId }, orderBy: { id: "asc" } });
  const story = await db.story.create({ data: { projectId, number: ++storyNo, slug: `s${storyNo}`, title: `S${storyNo}` } });
  const status = opts.status ?? "completed";
  const session = await db.agentSession.create({
    data: {
      projectId,
      storyId: story.id,
      agentId: agents[opts.agentIndex ?? 0]!.id,
      stage: "coder",
      status,
      runtime: "claude-code",
      finishedAt: status === "running" ? null : new Date(Date.now() - (opts.finishedDaysAgo ?? 40) * DAY),
    },
  });
  const ev: { kind: string; text?: string; payload?: object; raw?: string }[] = [
    { kind: "init", payload: { runtimeSessionId: "abc" }, raw: '{"type":"system","subtype":"init"}' },
    { kind: "status", text: "worktree ready" },
  ];
  for (let i = 0; i < 60; i++) {
    ev.push({ kind: "text", text: `thought ${i} — ünïcode ✓`, raw: `{"type":"assistant","text":"thought ${i} — ünïcode ✓"}` });
    ev.push({ kind: "thinking", text: `hmm ${i}`.repeat(20) });
    ev.push({ kind: "tool_call", payload: { id: `t${i}`, name: "Bash", input: { command: `echo ${"x".repeat(500)} ${i}` } }, raw: `{"tool":"Bash","i":${i}}` });
    ev.push({ kind: "tool_result", payload: { id: `t${i}`, ok: i !== 7, output: "out ".repeat(300) }, raw: `{"result":${i}}` });
    ev.push({ kind: "usage", payload: { inputTokens: i } });
  }
  ev.push({ kind: "stderr", text: "warning: something harmless" });
  ev.push({ kind: "stderr", text: "Error: disk almost full" });
  ev.push({ kind: "error", text: "the agent gave up", payload: { fatal: false } });
  ev.push({ kind: "gate", text: "script/test passed", payload: { passed: true } });
  ev.push({ kind: "result", text: "done", payload: { isError: false, turns: 12 }, raw: '{"type":"result"}' });
  await db.sessionEvent.createMany({
    data: ev.map((e, seq) => ({
      sessionId: session.id,
      seq,
      kind: e.kind,
      text: e.text ?? null,
      raw: e.raw ?? null,
      ...(e.payload ? { payload: e.payload } : {}),
    })),
  });
  return { session, events: ev };
}

describe("session compaction", () => {
  it("keeps the result, errors, status lines, tool summaries and the last text lines; the raw log stays byte-identical", async () => {
    const project = await projectWithRoster(t.db);
    const { session, events } = await sessionWithLog(t.db, project.id);
    const before = await rawText(t.db, session.id);

    const r = await compactSession(t.db, session.id);
    expect(r).not.toBeNull();
    expect(r!.eventsBefore).toBe(events.length);

    const kept = await t.db.sessionEvent.findMany({ where: { sessionId: session.id }, orderBy: { seq: "asc" } });
    const kinds = (k: string) => kept.filter((e) => e.kind === k);
    expect(kinds("init")).toHaveLength(1);
    expect(kinds("status").map((e) => e.text)).toEqual(["worktree ready"]);
    expect(kinds("gate")).toHaveLength(1);
    expect(kinds("result").map((e) => e.text)).toEqual(["done"]);
    expect(kinds("error").map((e) => e.text)).toEqual(["the agent gave up"]);
    // Errors of other kinds stay too: the failed tool result and the stderr line that says Error.
    expect(kinds("tool_result").map((e) => (e.payload as { id: string }).id)).toEqual(["t7"]);
    expect(kinds("stderr").map((e) => e.text)).toEqual(["Error: disk almost full"]);
    // One short line per tool call.
    const calls = kinds("tool_call");
    expect(calls).toHaveLength(60);
    const p = calls[0]!.payload as { id: string; name: string; input: string };
    expect(p.id).toBe("t0");
    expect(p.name).toBe("Bash");
    expect(p.input.length).toBe(200);
    expect(p.input.startsWith('{"command": "echo xxx')).toBe(true);
    // The last text lines, not the first.
    expect(kinds("text").map((e) => e.text)).toEqual(Array.from({ length: KEPT_TEXT_LINES }, (_, i) => `thought ${60 - KEPT_TEXT_LINES + i} — ünïcode ✓`));
    // The bulk is gone.
    expect(kinds("thinking")).toHaveLength(0);
    expect(kinds("usage")).toHaveLength(0);
    expect(kept.every((e) => e.raw === null)).toBe(true);
    expect(kept.length).toBe(1 + 1 + 1 + 1 + 1 + 1 + 1 + 60 + KEPT_TEXT_LINES);

    const s = await t.db.agentSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(s.compactedAt).toBeInstanceOf(Date);
    expect(s.eventsBefore).toBe(events.length);
    expect(s.eventsKept).toBe(kept.length);
    expect(r!.gzipBytes).toBeLessThan(r!.rawBytes);

    // The raw download serves the full log, byte for byte.
    expect(await rawText(t.db, session.id)).toBe(before);
    expect(Buffer.byteLength(before)).toBe(r!.rawBytes);
    // The log view lists the kept events by seq despite the gaps.
    const idx = await sessionIndex(t.db, { sessionId: session.id });
    expect(idx.mode).toBe("list");

    // Idempotent: a second run changes nothing.
    expect(await compactSession(t.db, session.id)).toBeNull();
    expect(await t.db.sessionEvent.count({ where: { sessionId: session.id } })).toBe(kept.length);
    expect(await rawText(t.db, session.id)).toBe(before);
  });

  it("compacts only finished sessions older than event_retention_days, never running ones, and not at all with 0", async () => {
    const project = await projectWithRoster(t.db, `event_retention_days = 10\n${ROSTER}`);
    const old = await sessionWithLog(t.db, project.id, { finishedDaysAgo: 11, agentIndex: 0 });
    const recent = await sessionWithLog(t.db, project.id, { finishedDaysAgo: 9, agentIndex: 1 });
    const running = await sessionWithLog(t.db, project.id, { status: "running", agentIndex: 2 });

    const dry = await compactProject(t.db, project.id, { dryRun: true });
    expect(dry.days).toBe(10);
    expect(dry.sessionIds).toEqual([old.session.id]);
    expect(dry.compacted).toEqual([]);
    expect(await t.db.sessionEvent.count({ where: { sessionId: old.session.id } })).toBe(old.events.length);

    const done = await compactProject(t.db, project.id);
    expect(done.compacted.map((c) => c.sessionId)).toEqual([old.session.id]);
    expect(await t.db.sessionEvent.count({ where: { sessionId: recent.session.id } })).toBe(recent.events.length);
    expect(await t.db.sessionEvent.count({ where: { sessionId: running.session.id } })).toBe(running.events.length);
    // Asked directly, a running session is still refused.
    expect(await compactSession(t.db, running.session.id)).toBeNull();
    expect((await t.db.agentSession.findUniqueOrThrow({ where: { id: running.session.id } })).compactedAt).toBeNull();
    // --older-than-days overrides the roster.
    expect((await compactProject(t.db, project.id, { olderThanDays: 5, dryRun: true })).sessionIds).toEqual([recent.session.id]);

    const forever = await projectWithRoster(t.db, `event_retention_days = 0\n${ROSTER}`);
    const ancient = await sessionWithLog(t.db, forever.id, { finishedDaysAgo: 3650 });
    const r = await compactProject(t.db, forever.id);
    expect(r).toEqual({ projectId: forever.id, days: 0, sessionIds: [], compacted: [] });
    expect(await t.db.sessionEvent.count({ where: { sessionId: ancient.session.id } })).toBe(ancient.events.length);
  });
});
