// The secrets router: a value goes in and never comes out of any procedure; bad input is refused
// with what to fix; the key file is made in the data folder.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type {} from "@drover/db/testing/global-setup";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { addProject } from "@drover/db/services/projects";
import { createCallerFactory } from "../src/trpc.ts";
import { secretsRouter } from "../src/routers/secrets.ts";
import { repoAccess } from "@drover/repo";
import { makeRepo } from "@drover/repo/testing/make-repo";
import { testActor } from "@drover/db/testing/actors";
import { testContext } from "../testing/context.ts";

let t: TestDatabase;
let projectId: number;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-api-secrets-"));
const admin = { userId: "u-admin", name: "Admin" };
const caller = () => createCallerFactory(secretsRouter)(testContext(t.db, { id: admin.userId, name: admin.name }));
const VALUE = "sk-router-value-0987654321";

beforeAll(async () => {
  process.env.DROVER_DATA_DIR = dataDir;
  t = await createTestDatabase();
  projectId = (await addProject(t.db, { repoPath: makeRepo(), name: "secrets-router" }, repoAccess, testActor)).project.id;
});
afterAll(async () => {
  delete process.env.DROVER_DATA_DIR;
  await t?.drop();
});

it("sets, lists and removes secrets without ever returning a value", async () => {
  const set = await caller().set({ projectId, name: "openai", value: VALUE });
  expect(set).toMatchObject({ name: "openai", keyCreated: `key file ${path.join(dataDir, "secret.key")}` });
  const again = await caller().set({ projectId, name: "openai", value: `${VALUE}-2` });
  expect(again.keyCreated).toBeNull();
  const list = await caller().list({ projectId });
  expect(list.map((s) => s.name)).toEqual(["openai"]);
  expect(JSON.stringify([set, again, list])).not.toContain(VALUE);
  await expect(caller().set({ projectId, name: "has space", value: "x" })).rejects.toMatchObject({
    code: "BAD_REQUEST",
    message: expect.stringContaining("Secret name"),
  });
  expect(await caller().remove({ projectId, name: "openai" })).toEqual({ removed: "openai" });
  await expect(caller().remove({ projectId, name: "openai" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  // Both changes are the caller's.
  const events = await t.db.projectEvent.findMany({ where: { projectId, kind: { in: ["secret_set", "secret_removed"] } }, orderBy: { id: "asc" } });
  expect(events.map((e) => [e.kind, e.actorId])).toEqual([
    ["secret_set", admin.userId],
    ["secret_set", admin.userId],
    ["secret_removed", admin.userId],
  ]);
});
