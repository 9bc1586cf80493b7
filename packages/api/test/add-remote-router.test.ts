// projects.addRemote applies the remote URL rule before it asks a runner: a URL carrying
// credentials is refused without echoing them and is never stored in a runner request.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { appRouter } from "../src/root.ts";
import { createCallerFactory } from "../src/trpc.ts";
import { testContext } from "../testing/context.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

it("refuses a remote URL with a password before any request is stored, without echoing it", async () => {
  const api = createCallerFactory(appRouter)(testContext(t.db));
  const err = await api.projects.addRemote({ remoteUrl: "https://ana:hunter2secret@git.example.com/shop.git", baseBranch: "main" }).then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  );
  expect(err?.code).toBe("BAD_REQUEST");
  expect(err?.message).toContain("put no credentials in the URL");
  expect(err?.message).not.toContain("hunter2secret");
  expect(await t.db.runnerRequest.count()).toBe(0);
});
