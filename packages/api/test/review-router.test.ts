// The review router over a real database: approve / reject / retry, and rule errors reaching the
// caller as tRPC errors with the rule's message.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type {} from "@drover/db/testing/global-setup";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { addProject } from "@drover/db/services/projects";
import { createStory } from "@drover/db/services/stories";
import { createCallerFactory } from "../src/trpc.ts";
import { testContext } from "../testing/context.ts";
import { reviewRouter } from "../src/routers/review.ts";
import { repoAccess } from "@drover/repo";
import { testActor } from "@drover/db/testing/actors";

let t: TestDatabase;
let repo: string;
let projectId: number;
const caller = () => createCallerFactory(reviewRouter)(testContext(t.db));

beforeAll(async () => {
  t = await createTestDatabase();
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "drover-web-pipe-"));
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: repo });
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=T", "commit", "-q", "--allow-empty", "-m", "init"], { cwd: repo });
  fs.mkdirSync(path.join(repo, ".drover"));
  fs.writeFileSync(path.join(repo, ".drover/project.toml"), '[[agent]]\nname = "coder-1"\nstage = "coder"\nruntime = "command"\ncommand = ["true"]\n');
  projectId = (await addProject(t.db, { repoPath: repo, name: "webpipe" }, repoAccess, testActor)).project.id;
});
afterAll(async () => {
  await t?.drop();
  fs.rmSync(repo, { recursive: true, force: true });
});

it("approves and rejects stories waiting for review; refuses others with the rule's message", async () => {
  const a = await createStory(t.db, { projectId, title: "A", stage: "qa" }, testActor);
  await expect(caller().approve({ projectId, storyNumber: a.number })).rejects.toMatchObject({
    code: "PRECONDITION_FAILED",
    message: expect.stringContaining("not waiting for human review"),
  });
  await t.db.story.update({ where: { id: a.id }, data: { reviewHold: true } });
  expect(await caller().approve({ projectId, storyNumber: a.number })).toMatchObject({ stage: "merge", reviewHold: false });

  const b = await createStory(t.db, { projectId, title: "B", stage: "qa" }, testActor);
  await t.db.story.update({ where: { id: b.id }, data: { reviewHold: true } });
  await expect(caller().reject({ projectId, storyNumber: b.number, notes: "   " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  const r = await caller().reject({ projectId, storyNumber: b.number, notes: "Handle the empty list" });
  expect(r.story).toMatchObject({ stage: "current", reviewHold: false });
  expect(r.story.body).toContain("Handle the empty list");
  expect(r.session?.prompt).toContain("Handle the empty list");

  const c = await createStory(t.db, { projectId, title: "C", stage: "merge" }, testActor);
  await t.db.story.update({ where: { id: c.id }, data: { mergeFailure: "empty diff", retryCount: 2 } });
  const rc = await caller().retry({ projectId, storyNumber: c.number });
  expect(rc.story).toMatchObject({ mergeFailure: null, retryCount: 0 });
  expect(rc.session).toBeNull(); // in merge, Drover merges again by itself

  // Each review action is recorded as the signed-in caller.
  const evs = await t.db.projectEvent.findMany({
    where: { storyId: { in: [a.id, b.id, c.id] }, kind: { in: ["review_approved", "review_rejected", "story_retry"] } },
    orderBy: { id: "asc" },
  });
  expect(evs.map((e) => [e.kind, e.actorKind, e.actorUserId, e.actorName])).toEqual([
    ["review_approved", "user", "test-admin", "Test admin"],
    ["review_rejected", "user", "test-admin", "Test admin"],
    ["story_retry", "user", "test-admin", "Test admin"],
  ]);
});
