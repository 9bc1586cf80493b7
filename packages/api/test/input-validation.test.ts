// Ids past Postgres int4 and NUL characters in text are refused as BAD_REQUEST saying what to fix,
// before they reach the database (which answered them with a 500 and its own error text).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStory, updateStory } from "@drover/db/services/index";
import type {} from "@drover/db/testing/global-setup"; // types of inject("dbAdminUrl")
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { appRouter } from "../src/root.ts";
import { createCallerFactory } from "../src/trpc.ts";
import { testActor } from "@drover/db/testing/actors";
import { testContext } from "../testing/context.ts";

let t: TestDatabase;
let projectId: number;
beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await t.db.project.create({ data: { name: "p", repoPath: "/nonexistent/p" } })).id;
  await t.db.story.create({ data: { projectId, number: 1, slug: "one", title: "One", stage: "backlog" } });
});
afterAll(() => t?.drop());

const TOO_BIG = 2 ** 31;

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  );
  expect(err, "the call was accepted").not.toBeNull();
  return err!;
}

describe("input validation", () => {
  it("refuses ids from 2^31 up with a readable BAD_REQUEST", async () => {
    const api = createCallerFactory(appRouter)(testContext(t.db));
    const calls: [string, () => Promise<unknown>, string][] = [
      ["stories.get", () => api.stories.get({ projectId: TOO_BIG, storyNumber: 1 }), "projectId"],
      ["stories.get", () => api.stories.get({ projectId, storyNumber: TOO_BIG }), "storyNumber"],
      ["stories.reorder", () => api.stories.reorder({ projectId, storyNumber: 1, index: TOO_BIG }), "index"],
      ["stories.update", () => api.stories.update({ projectId, storyNumber: 1, retryCount: TOO_BIG }), "retryCount"],
      ["projects.get", () => api.projects.get({ projectId: TOO_BIG }), "projectId"],
      ["views.story", () => api.views.story({ storyId: TOO_BIG }), "storyId"],
      ["views.agent", () => api.views.agent({ agentId: TOO_BIG }), "agentId"],
      ["views.session", () => api.views.session({ sessionId: TOO_BIG }), "sessionId"],
      ["views.sessionEvents", () => api.views.sessionEvents({ sessionId: 1, fromSeq: TOO_BIG, toSeq: TOO_BIG }), "fromSeq"],
      ["views.activity", () => api.views.activity({ projectId, cursor: 2n ** 63n }), "cursor"],
      ["sessions.get", () => api.sessions.get({ sessionId: TOO_BIG }), "sessionId"],
      ["agents.start", () => api.agents.start({ projectId, storyNumber: 1, resumeOfSessionId: TOO_BIG }), "resumeOfSessionId"],
    ];
    for (const [name, call, field] of calls) {
      const err = await refusal(call());
      expect(err.code, name).toBe("BAD_REQUEST");
      expect(err.message, name).toMatch(new RegExp(`^${field}: (must be at most|Too big)`));
    }
    expect((await refusal(api.projects.get({ projectId: TOO_BIG }))).message).toBe("projectId: must be at most 2147483647");
  });

  it("refuses NUL characters in titles, bodies and other text with a readable BAD_REQUEST", async () => {
    const api = createCallerFactory(appRouter)(testContext(t.db));
    const calls: [string, () => Promise<unknown>, string][] = [
      ["stories.create title", () => api.stories.create({ projectId, title: "bad\u0000title" }), "title"],
      ["stories.create body", () => api.stories.create({ projectId, title: "ok", body: "bad\u0000body" }), "body"],
      ["stories.update title", () => api.stories.update({ projectId, storyNumber: 1, title: "x\u0000" }), "title"],
      ["stories.update body", () => api.stories.update({ projectId, storyNumber: 1, body: "x\u0000" }), "body"],
      ["stories.block", () => api.stories.block({ projectId, storyNumber: 1, reason: "\u0000" }), "reason"],
      ["review.reject", () => api.review.reject({ projectId, storyNumber: 1, notes: "fix \u0000 this" }), "notes"],
      ["views.sessionIndex", () => api.views.sessionIndex({ sessionId: 1, q: "\u0000" }), "q"],
      ["projects.add", () => api.projects.add({ repoPath: "/tmp/x\u0000y" }), "repoPath"],
    ];
    for (const [name, call, field] of calls) {
      const err = await refusal(call());
      expect(err.code, name).toBe("BAD_REQUEST");
      expect(err.message, name).toBe(`${field}: must not contain NUL characters (\\u0000); remove them`);
    }
    // The services refuse it too (the CLI calls them directly), and nothing was written.
    const err = await refusal(createStory(t.db, { projectId, title: "t\u0000" }, testActor));
    expect(err.message).toContain("title: must not contain NUL characters");
    expect(await t.db.story.count({ where: { projectId } })).toBe(1);
  });

  it("one story schema: the service refuses what the API refuses, with the same message", async () => {
    const api = createCallerFactory(appRouter)(testContext(t.db));
    const dependsOn = Array.from({ length: 101 }, (_, i) => i + 2);
    const viaApi = await refusal(api.stories.update({ projectId, storyNumber: 1, dependsOn }));
    const viaService = await refusal(updateStory(t.db, { projectId, storyNumber: 1, dependsOn }, testActor));
    expect([viaApi.code, viaService.code]).toEqual(["BAD_REQUEST", "BAD_REQUEST"]);
    expect(viaService.message).toBe(viaApi.message);
    expect(viaApi.message).toMatch(/^dependsOn: /);
    expect((await t.db.story.findFirstOrThrow({ where: { projectId, number: 1 } })).dependsOn).toEqual([]);
  });
});
