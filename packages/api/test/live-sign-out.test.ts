// A live subscription (SSE) ends when its sign-in does: signed out, token revoked, user removed.
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SIGN_IN_RECHECK_MS } from "../src/live/until-signed-out.ts";
import { liveRouter } from "../src/routers/live.ts";
import { createCallerFactory } from "../src/trpc.ts";
import { testContext } from "../testing/context.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url; // the live hub LISTENs on it
});
afterAll(() => t.drop());

it("the board subscription ends within one re-check after the session ends", async () => {
  let signedIn = true;
  const ac = new AbortController();
  const live = createCallerFactory(liveRouter)(testContext(t.db, { role: "viewer", signedIn: async () => signedIn }), { signal: ac.signal });
  const it = ((await live.project({})) as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  expect((await it.next()).value).toEqual({ ready: true });
  const next = it.next();
  const startedAt = Date.now();
  signedIn = false;
  const outcome = await Promise.race([
    next.then((r) => (r.done ? "ended" : "event")),
    new Promise((r) => setTimeout(() => r("still open"), SIGN_IN_RECHECK_MS * 3)),
  ]);
  ac.abort();
  expect(outcome).toBe("ended");
  expect(Date.now() - startedAt).toBeLessThanOrEqual(SIGN_IN_RECHECK_MS * 2);
});
