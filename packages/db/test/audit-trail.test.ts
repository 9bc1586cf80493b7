// The audit trail: every activity event lands in audit_events with who made it, the trail refuses
// UPDATE, DELETE and TRUNCATE, and it filters and exports as CSV and JSON lines that parse back.
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@drover/core/audit/actor";
import { createStory, exportAudit, listAudit, moveStory } from "../src/services/index.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { projectWithRoster } from "../testing/project-fixtures.ts";

const ana: Actor = { kind: "user", userId: "u-ana", name: "Ana" };
const bot: Actor = { kind: "token", tokenId: "tok-1", userId: "u-ana", name: "Ana" };
const cli: Actor = { kind: "cli", osUser: "ops", host: "build-1" };
const auto: Actor = { kind: "automation", what: "auto-assign" };

let t: TestDatabase;
let projectId: number;
let otherProjectId: number;
beforeAll(async () => {
  t = await createTestDatabase();
  const p = await projectWithRoster(t.db);
  projectId = p.id;
  otherProjectId = (await projectWithRoster(t.db)).id;
  // Text that CSV must quote: commas, quotes, a line break.
  const s = await createStory(t.db, { projectId, title: 'Fix "quotes", commas\nand lines' }, ana);
  await moveStory(t.db, { projectId, storyNumber: s.number, to: "current" }, bot);
  await moveStory(t.db, { projectId, storyNumber: s.number, to: "backlog" }, cli);
  await createStory(t.db, { projectId: otherProjectId, title: "Elsewhere" }, auto);
});
afterAll(() => t.drop());

const collect = async (it: AsyncIterable<string>) => {
  let out = "";
  for await (const c of it) out += c;
  return out;
};

describe("audit trail", () => {
  it("records who made each change on the feed and in the trail", async () => {
    const feed = await t.db.projectEvent.findMany({ where: { projectId, kind: { in: ["story_created", "story_moved"] } }, orderBy: { id: "asc" } });
    expect(feed.map((e) => [e.kind, e.actorKind, e.actorId, e.actorUserId, e.actorName])).toEqual([
      ["story_created", "user", "u-ana", "u-ana", "Ana"],
      ["story_moved", "token", "tok-1", "u-ana", "Ana (token)"],
      ["story_moved", "cli", "ops@build-1", null, "ops@build-1 (command line)"],
    ]);
    const trail = await t.db.auditEvent.findMany({ where: { projectId, kind: { in: ["story_created", "story_moved"] } }, orderBy: { id: "asc" } });
    expect(trail.map((e) => [e.kind, e.actorName, e.storyNumber, e.message])).toEqual(feed.map((e) => [e.kind, e.actorName, 1, e.message]));
    expect(new Set(trail.map((e) => e.projectName)).size).toBe(1);
    expect(trail[0]!.projectName).toMatch(/^p-/);
  });

  it("refuses UPDATE, DELETE and TRUNCATE of audit rows, even by the table's owner", async () => {
    const [row] = await t.db.auditEvent.findMany({ where: { projectId }, take: 1 });
    await expect(t.db.$executeRaw`UPDATE audit_events SET actor_name = 'someone else' WHERE id = ${row!.id}`).rejects.toThrow(/append-only: UPDATE is refused/);
    await expect(t.db.$executeRaw`DELETE FROM audit_events WHERE id = ${row!.id}`).rejects.toThrow(/append-only: DELETE is refused/);
    await expect(t.db.$executeRawUnsafe("TRUNCATE audit_events")).rejects.toThrow(/append-only: TRUNCATE is refused/);
    await expect(t.db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    expect(await t.db.auditEvent.findUnique({ where: { id: row!.id } })).toEqual(row);
  });

  it("keeps the trail when the project it describes is deleted", async () => {
    const doomed = await projectWithRoster(t.db);
    await createStory(t.db, { projectId: doomed.id, title: "Soon gone" }, ana);
    const before = await t.db.auditEvent.count({ where: { projectId: doomed.id } });
    await t.db.project.delete({ where: { id: doomed.id } });
    expect(await t.db.projectEvent.count({ where: { projectId: doomed.id } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { projectId: doomed.id } })).toBe(before);
  });

  it("filters by person, project, actor kind and event kind", async () => {
    const names = async (f: Parameters<typeof listAudit>[1]) => (await listAudit(t.db, f)).map((e) => `${e.kind}:${e.actorName}`);
    // A person's own changes and their tokens'.
    expect(await names({ person: "u-ana", projectId })).toEqual(["story_moved:Ana (token)", "story_created:Ana"]);
    expect(await names({ person: "ops@build-1" })).toEqual(["story_moved:ops@build-1 (command line)"]);
    expect(await names({ person: "auto-assign" })).toEqual(["story_created:auto-assign"]);
    expect(await names({ projectId: otherProjectId, kind: "story_created" })).toEqual(["story_created:auto-assign"]);
    expect(await names({ actorKind: "token" })).toEqual(["story_moved:Ana (token)"]);
    expect(await names({ person: "nobody" })).toEqual([]);
  });

  it("exports CSV that parses back to the rows, quotes and line breaks intact", async () => {
    const csv = await collect(exportAudit(t.db, "csv", { projectId }));
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    const all = await t.db.auditEvent.findMany({ where: { projectId }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.id)).toEqual(all.map((e) => e.id.toString()));
    const created = rows.find((r) => r.kind === "story_created")!;
    expect(created).toMatchObject({ actor_kind: "user", actor_name: "Ana", story_number: "1", message: 'Story 1 created: Fix "quotes", commas\nand lines' });
    const moved = rows.find((r) => r.kind === "story_moved" && r.actor_kind === "cli")!;
    expect(JSON.parse(moved.payload!)).toMatchObject({ from: "current", to: "backlog" });
  });

  it("exports JSON lines, one parseable object per row", async () => {
    const jsonl = await collect(exportAudit(t.db, "jsonl", { actorKind: "user" }));
    const lines = jsonl.trimEnd().split("\n");
    const objs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.length).toBe(await t.db.auditEvent.count({ where: { actorKind: "user" } }));
    expect(objs.every((o) => o.actor_kind === "user")).toBe(true);
    expect(objs.find((o) => o.kind === "story_created" && o.project_id === projectId)).toMatchObject({ actor_name: "Ana", actor_user_id: "u-ana" });
  });

  it("refuses a filter it cannot apply, saying what to use", async () => {
    await expect(collect(exportAudit(t.db, "csv", { actorKind: "robot" as never }))).rejects.toThrow(
      /actorKind must be one of user, token, cli, runner, agent, automation/,
    );
  });
});
