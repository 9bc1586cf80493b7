// Optional per-project membership: once a project has members, only they (and admins) see it, in
// project lists and in every procedure that names it by project, story, session or agent; a
// project without members stays open to everyone signed in.
import { createUserWithPassword } from "@drover/auth";
import type {} from "@drover/db/testing/global-setup";
import { projectWithRoster } from "@drover/db/testing/project-fixtures";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { createStory, startAgent } from "@drover/db/services/index";
import { testActor } from "@drover/db/testing/actors";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appRouter } from "../src/root.ts";
import { createCallerFactory } from "../src/trpc.ts";
import { testContext } from "../testing/context.ts";

let t: TestDatabase;
let open: { id: number; name: string };
let closed: { id: number; name: string };
let inside: { id: string };
let outside: { id: string };
const api = (who: { id: string } | "admin", role: "viewer" | "member" = "member") =>
  createCallerFactory(appRouter)(who === "admin" ? testContext(t.db) : testContext(t.db, { role, id: who.id }));

beforeAll(async () => {
  t = await createTestDatabase();
  open = await projectWithRoster(t.db);
  closed = await projectWithRoster(t.db);
  inside = await createUserWithPassword(t.db, { email: "in@example.com", name: "In", password: "inside-password", role: "member" });
  outside = await createUserWithPassword(t.db, { email: "out@example.com", name: "Out", password: "outside-password", role: "member" });
  await api("admin").people.addToProject({ projectId: closed.id, email: "In@Example.com" });
});
afterAll(() => t?.drop());

it("lists show a project with members only to its members and admins; one without members to all", async () => {
  const names = async (who: { id: string } | "admin") => (await api(who).views.projects()).map((p) => p.id);
  expect(await names("admin")).toEqual(expect.arrayContaining([open.id, closed.id]));
  expect(await names(inside)).toEqual(expect.arrayContaining([open.id, closed.id]));
  expect(await names(outside)).toContain(open.id);
  expect(await names(outside)).not.toContain(closed.id);
  expect((await api(outside).projects.list()).map((p) => p.id)).not.toContain(closed.id);
  expect((await api("admin").people.projectMembers({ projectId: closed.id })).map((u) => u.email)).toEqual(["in@example.com"]);
});

it("every way of naming the project is refused to a non-member with a 403 that says what to do", async () => {
  const story = await createStory(t.db, { projectId: closed.id, title: "Members only", stage: "current" }, testActor);
  const session = await startAgent(t.db, { projectId: closed.id, storyNumber: story.number, agentName: "coder-1", trigger: "user" }, testActor);
  const agent = await t.db.agent.findFirstOrThrow({ where: { projectId: closed.id } });
  const out = api(outside);
  const refused = { code: "FORBIDDEN", message: `You are not a member of project "${closed.name}": ask an admin to add you.` };
  await expect(out.views.board({ projectId: closed.id })).rejects.toMatchObject(refused);
  await expect(out.views.story({ storyId: story.id })).rejects.toMatchObject(refused);
  await expect(out.views.storyAt({ project: closed.name, number: story.number })).rejects.toMatchObject(refused);
  await expect(out.views.storyAt({ project: String(closed.id), number: story.number })).rejects.toMatchObject(refused);
  await expect(out.views.session({ sessionId: session.id })).rejects.toMatchObject(refused);
  await expect(out.views.agent({ agentId: agent.id })).rejects.toMatchObject(refused);
  await expect(out.stories.create({ projectId: closed.id, title: "Sneaky" })).rejects.toMatchObject(refused);
  expect(await t.db.story.count({ where: { projectId: closed.id, title: "Sneaky" } })).toBe(0);
  // The member, an admin, and anyone on the open project get through.
  expect((await api(inside).views.story({ storyId: story.id })).title).toBe("Members only");
  expect((await api("admin").views.board({ projectId: closed.id })).stories.length).toBeGreaterThan(0);
  expect(await api(outside).views.board({ projectId: open.id })).toBeDefined();
});

it("removing the last member opens the project again; managing members is an admin's", async () => {
  await expect(api(inside).people.addToProject({ projectId: closed.id, email: "out@example.com" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  await expect(api("admin").people.addToProject({ projectId: closed.id, email: "nobody@example.com" })).rejects.toMatchObject({
    code: "NOT_FOUND",
    message: expect.stringContaining("invite them first"),
  });
  await api("admin").people.removeFromProject({ projectId: closed.id, userId: inside.id });
  expect((await api(outside).views.projects()).map((p) => p.id)).toContain(closed.id);
});
