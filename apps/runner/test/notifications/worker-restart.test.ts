// A runner killed in the middle of a send loses no delivery: its lease runs out and the next
// runner sends it again (same idempotency key); what was written while no runner ran goes out too.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { execa, type ResultPromise } from "execa";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { blockStory, createStory } from "@drover/db/services/stories";
import { createSubscription } from "@drover/db/notifications/subscriptions";
import { testActor } from "@drover/db/testing/actors";
import { cliMain, repoRoot } from "../runner/helpers.ts";
import { ENV, gatedProject, KEY } from "./fixtures.ts";
import { receiver, waitFor } from "./receivers.ts";

let t: TestDatabase;
const dirs: string[] = [];
const runners: ResultPromise[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const r of runners) r.kill("SIGKILL");
  await Promise.allSettled(runners);
  await t?.drop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function runner(): ResultPromise {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-notify-runner-"));
  dirs.push(dataDir);
  const r = execa(process.execPath, ["--import", "tsx", cliMain, "runner", "--no-pipeline", "--data-dir", dataDir, "--poll-ms", "200"], {
    cwd: repoRoot,
    env: { DATABASE_URL: t.url, LOG_LEVEL: "warn", ...ENV, DROVER_NOTIFY_TIMEOUT_SECS: "1", DROVER_NOTIFY_BACKOFF_SECS: "0.2" },
    extendEnv: false,
    reject: false,
  });
  runners.push(r);
  return r;
}

it("a runner killed mid-send loses no delivery, and one written while no runner ran is sent by the next", { timeout: 90_000 }, async () => {
  const project = await gatedProject(t, dirs);
  let hang = true;
  const rx = await receiver(() => (hang ? "hang" : { status: 200, body: "ok" }));
  const { subscription } = await createSubscription(
    t.db,
    KEY,
    { channel: "webhook", name: "w", url: rx.url, events: ["story.blocked"], projectIds: [project.id] },
    "u",
  );
  const first = runner();
  const a = await createStory(t.db, { projectId: project.id, title: "First", stage: "current" }, testActor);
  await blockStory(t.db, { projectId: project.id, storyNumber: a.number, reason: "x" }, testActor);
  await waitFor("the first send", () => rx.received.length === 1, 30_000);
  first.kill("SIGKILL"); // mid-send: the receiver has the request, no answer was recorded
  await first;
  hang = false;
  const b = await createStory(t.db, { projectId: project.id, title: "Second", stage: "current" }, testActor);
  await blockStory(t.db, { projectId: project.id, storyNumber: b.number, reason: "y" }, testActor);
  expect(await t.db.notificationAttempt.count()).toBe(0);

  runner();
  const delivered = await waitFor(
    "both delivered",
    async () => {
      const rows = await t.db.notificationDelivery.findMany({ where: { subscriptionId: subscription.id }, orderBy: { id: "asc" } });
      return rows.length === 2 && rows.every((r) => r.status === "delivered") ? rows : undefined;
    },
    45_000,
  );
  // The killed send is sent again under the same key; the second goes out once.
  const keys = rx.received.map((r) => String(r.headers["idempotency-key"]));
  expect(keys).toEqual([`dlv_${delivered[0]!.id}`, expect.any(String), expect.any(String)]);
  expect(keys.slice(1).sort()).toEqual([`dlv_${delivered[0]!.id}`, `dlv_${delivered[1]!.id}`].sort());
  expect(delivered.map((d) => d.attempts)).toEqual([2, 1]);
  await rx.close();
});
