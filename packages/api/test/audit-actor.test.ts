// A change through the API records the context's actor: the signed-in person when there is one,
// the local operator (the OS user running Drover, marked "local") until sign-in exists.
import os from "node:os";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Actor } from "@drover/core/audit/actor";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { projectWithRoster } from "@drover/db/testing/project-fixtures";
import { appRouter, createCallerFactory, createContext } from "../src/index.ts";

let t: TestDatabase;
let projectId: number;
beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await projectWithRoster(t.db)).id;
});
afterAll(() => t.drop());

const ana: Actor = { kind: "user", userId: "u-ana", name: "Ana" };

it("records the caller's actor on every change it makes", async () => {
  const api = createCallerFactory(appRouter)({ db: t.db, actor: ana });
  const s = await api.stories.create({ projectId, title: "By Ana" });
  await api.stories.move({ projectId, storyNumber: s.number, to: "current" });
  await api.stories.block({ projectId, storyNumber: s.number, reason: "waiting" });
  const evs = await t.db.projectEvent.findMany({ where: { storyId: s.id }, orderBy: { id: "asc" } });
  expect(evs.map((e) => [e.kind, e.actorKind, e.actorUserId, e.actorName])).toEqual([
    ["story_created", "user", "u-ana", "Ana"],
    ["story_moved", "user", "u-ana", "Ana"],
    ["story_blocked", "user", "u-ana", "Ana"],
  ]);
});

it("acts as the local operator when nobody signed in", async () => {
  process.env.DATABASE_URL = t.url;
  const ctx = createContext();
  expect(ctx.actor).toEqual({ kind: "user", userId: "local", name: `${os.userInfo().username} (local)` });
  const api = createCallerFactory(appRouter)({ ...ctx, db: t.db });
  const s = await api.stories.create({ projectId, title: "Local" });
  const e = await t.db.projectEvent.findFirstOrThrow({ where: { storyId: s.id } });
  expect([e.actorId, e.actorName]).toEqual(["local", `${os.userInfo().username} (local)`]);
});

it("lists the audit trail filtered by person", async () => {
  const api = createCallerFactory(appRouter)({ db: t.db, actor: ana });
  const rows = await api.audit.list({ person: "u-ana", projectId });
  expect(rows.map((r) => r.kind)).toEqual(["story_blocked", "story_moved", "story_created"]);
  expect(new Set(rows.map((r) => r.actorName))).toEqual(new Set(["Ana"]));
});
