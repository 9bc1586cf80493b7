// The tRPC routers over the services: thin procedures, zod inputs, domain errors mapped to tRPC codes
// with the rule's message unchanged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/root.ts";
import { createCallerFactory } from "../src/trpc.ts";
import { testContext } from "../testing/context.ts";
import { startTestRunner, type TestRunner } from "../testing/runner-process.ts";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { ROSTER } from "@drover/db/testing/project-fixtures";
import { makeRepo } from "@drover/repo/testing/make-repo";

let t: TestDatabase;
// projects.add and reload are done by a runner that has the repository.
let runner: TestRunner;
beforeAll(async () => {
  t = await createTestDatabase();
  runner = await startTestRunner(t.db, t.url);
});
afterAll(async () => {
  await runner?.stop();
  await t.drop();
});

// @trpc/server is the web app's dependency, not this package's: check the error by its shape.
type TRPCError = Error & { code: string };
async function trpcError(p: Promise<unknown>): Promise<TRPCError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect((e as Error).name).toBe("TRPCError");
  return e as TRPCError;
}

describe("tRPC routers", () => {
  it("drive a story from creation to a started agent, mapping rule errors to tRPC codes", async () => {
    const api = createCallerFactory(appRouter)(testContext(t.db));
    const repo = makeRepo({ config: ROSTER });
    const { project } = await api.projects.add({ repoPath: repo, name: "web" });
    expect((await api.projects.list()).map((p) => p.name)).toEqual(["web"]);
    const notRepo = await trpcError(api.projects.add({ repoPath: "/etc" }));
    expect([notRepo.code, notRepo.message]).toEqual(["BAD_REQUEST", "/etc is not a git repository; run `git init` there or give the repository's root folder"]);
    expect((await api.projects.reload({ projectId: project.id })).ok).toBe(true);
    // The runner's part is done; stopped, it claims none of the sessions this test starts and stops.
    await runner.stop();

    const story = await api.stories.create({ projectId: project.id, title: "Checkout page" });
    expect(story.number).toBe(1);
    expect((await api.stories.get({ projectId: project.id, storyNumber: 1 })).criteria).toEqual([]); // a new story has no blank template criterion (issue 18 item 4)
    await api.stories.update({ projectId: project.id, storyNumber: 1, body: "# Story 1: Checkout page\n\n## Acceptance Criteria\n\n- [ ] pay\n" });
    expect((await api.stories.tick({ projectId: project.id, storyNumber: 1, index: 0, checked: true })).body).toContain("- [x] pay");

    const session = await api.agents.start({ projectId: project.id, storyNumber: 1 });
    expect(session.status).toBe("pending");
    expect((await api.stories.list({ projectId: project.id, stage: "current" })).map((s) => s.number)).toEqual([1]);
    const roster = await api.agents.roster({ projectId: project.id });
    expect(roster.find((a) => a.name === "coder-1")!.busy).toMatchObject({ storyNumber: 1, status: "pending" });
    expect((await api.sessions.list({ projectId: project.id, storyNumber: 1 })).map((s) => s.id)).toEqual([session.id]);
    expect((await api.sessions.get({ sessionId: session.id })).agent.name).toBe("coder-1");

    const busy = await trpcError(api.agents.start({ projectId: project.id, storyNumber: 1, agentName: "coder-2" }));
    expect(busy.code).toBe("CONFLICT");
    expect(busy.message).toMatch(/already has coder coder-1 pending/);
    const missing = await trpcError(api.agents.start({ projectId: project.id, storyNumber: 1, agentName: "nobody" }));
    expect([missing.code, missing.message]).toEqual(["NOT_FOUND", "No agent named nobody in this project's roster"]);
    const illegal = await trpcError(api.stories.move({ projectId: project.id, storyNumber: 1, to: "done" }));
    expect(illegal.code).toBe("PRECONDITION_FAILED");
    const traversal = await trpcError(api.stories.create({ projectId: project.id, title: "x", slug: "../../etc" }));
    expect(traversal.code).toBe("BAD_REQUEST");

    await api.agents.stop({ projectId: project.id, storyNumber: 1, agentName: "coder-1" });
    expect((await api.sessions.get({ sessionId: session.id })).status).toBe("stopped");
    await api.stories.block({ projectId: project.id, storyNumber: 1, reason: "needs design" });
    expect((await api.stories.unblock({ projectId: project.id, storyNumber: 1 })).blocked).toBe(false);
  });
});
