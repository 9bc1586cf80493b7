// A change through the API records who is signed in: the browser session's user, or the owner of the
// access token a script or `drover --url` sent. Nobody signed in changes nothing (no stand-in actor).
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAccessToken, createUserWithPassword } from "@drover/auth";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { projectWithRoster } from "@drover/db/testing/project-fixtures";
import { appRouter, createCallerFactory, createContext } from "../src/index.ts";
import { testContext } from "../testing/context.ts";

let t: TestDatabase;
let projectId: number;
beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await projectWithRoster(t.db)).id;
  process.env.DATABASE_URL = t.url; // createContext's database
});
afterAll(() => t.drop());

const api = createCallerFactory(appRouter);
const bearer = (token: string) => ({ req: new Request("http://localhost/api/trpc", { headers: { authorization: `Bearer ${token}` } }) });

it("records the signed-in user on every change they make", async () => {
  const ana = api(testContext(t.db, { role: "member", id: "u-ana", name: "Ana" }));
  const s = await ana.stories.create({ projectId, title: "By Ana" });
  await ana.stories.move({ projectId, storyNumber: s.number, to: "current" });
  await ana.stories.block({ projectId, storyNumber: s.number, reason: "waiting" });
  const evs = await t.db.projectEvent.findMany({ where: { storyId: s.id }, orderBy: { id: "asc" } });
  expect(evs.map((e) => [e.kind, e.actorKind, e.actorUserId, e.actorName])).toEqual([
    ["story_created", "user", "u-ana", "Ana"],
    ["story_moved", "user", "u-ana", "Ana"],
    ["story_blocked", "user", "u-ana", "Ana"],
  ]);
});

it("records a token's owner for a request with a personal access token (drover --url --token)", async () => {
  const bo = await createUserWithPassword(t.db, { email: "bo@example.com", name: "Bo Member", password: "bo-password-1", role: "member" });
  const { id: tokenId, token } = await createAccessToken(t.db, bo.id, { name: "laptop", days: 7 });
  const s = await api(createContext(bearer(token))).stories.create({ projectId, title: "By Bo's token" });
  const e = await t.db.projectEvent.findFirstOrThrow({ where: { storyId: s.id } });
  expect([e.actorKind, e.actorId, e.actorUserId, e.actorName]).toEqual(["token", String(tokenId), bo.id, "Bo Member (token)"]);
});

it("refuses a change from nobody signed in instead of recording a stand-in", async () => {
  const before = await t.db.projectEvent.count();
  await expect(api(createContext({ req: new Request("http://localhost/api/trpc") })).stories.create({ projectId, title: "Anon" })).rejects.toMatchObject({
    code: "UNAUTHORIZED",
  });
  await expect(api(createContext(bearer("drv_not-a-token"))).stories.create({ projectId, title: "Anon" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  expect(await t.db.projectEvent.count()).toBe(before);
});

it("lists the audit trail filtered by person, for admins only", async () => {
  const rows = await api(testContext(t.db)).audit.list({ person: "u-ana", projectId });
  expect(rows.map((r) => r.kind)).toEqual(["story_blocked", "story_moved", "story_created"]);
  expect(new Set(rows.map((r) => r.actorName))).toEqual(new Set(["Ana"]));
  await expect(api(testContext(t.db, { role: "member" })).audit.list({ projectId })).rejects.toMatchObject({
    code: "FORBIDDEN",
    message: "This needs the admin role; you are a member.",
  });
});
