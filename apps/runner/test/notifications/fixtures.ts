// A project with a gated coder (max_retries = 2) in a real repository, a secret key, and a worker
// started against the test database with fast retries.
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
import { makeRepo } from "@drover/repo/testing/make-repo";
import { pino } from "pino";
import { repoAccess } from "@drover/repo";
import { addProject } from "@drover/db/services/projects";
import { readSecretKey } from "@drover/db/secrets/key";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { testActor } from "@drover/db/testing/actors";
import { startDeliveryWorker, type DeliveryWorkerOptions } from "../../src/notifications/delivery-worker.ts";

export const log = pino({ level: "silent" });
export const ENV = { DROVER_SECRET_KEY: "cd".repeat(32), DROVER_PUBLIC_URL: "https://drover.example.test/" };
export const KEY = readSecretKey({ env: ENV })!;

export async function gatedProject(t: TestDatabase, dirs: string[]) {
  const repo = makeRepo({
    config: `default_qa = "server"\nmax_retries = 2\ngates = []\n\n[[agent]]\nname = "coder-1"\nstage = "coder"\nruntime = "command"\ncommand = ["true"]\n`,
  });
  dirs.push(repo);
  const { project } = await addProject(t.db, { repoPath: repo, name: path.basename(repo) }, repoAccess, testActor);
  return project;
}

/** A test database for the file, and what each test starts (workers, receivers) stopped after it. */
export function perTest() {
  const ctx = { t: undefined as unknown as TestDatabase, dirs: [] as string[], closers: [] as (() => Promise<void>)[] };
  beforeAll(async () => {
    ctx.t = await createTestDatabase();
  });
  // A worker left running would claim the next test's rows.
  afterEach(async () => {
    for (const c of ctx.closers.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await ctx.t?.drop();
    for (const d of ctx.dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  return ctx;
}

export function worker(t: TestDatabase, o: Partial<DeliveryWorkerOptions> = {}) {
  return startDeliveryWorker(t.db, log, {
    databaseUrl: t.url,
    env: ENV,
    timeoutMs: 2_000,
    pollMs: 100,
    retry: { baseMs: 100, maxMs: 400, retryForMs: 60_000 },
    ...o,
  });
}
