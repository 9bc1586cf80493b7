// The outbox is written in the transaction of the change that announces: rolled back together,
// committed together; only subscribed events and projects get rows; browser subscriptions get a
// notification but no delivery rows.
import { afterAll, beforeAll, expect, it } from "vitest";
import { blockStory, createStory, inTx, lockStory, logProjectEvent } from "../../src/services/index.ts";
import { createSubscription } from "../../src/notifications/subscriptions.ts";
import { readSecretKey } from "../../src/secrets/key.ts";
import { projectWithRoster } from "../../testing/project-fixtures.ts";
import { testActor } from "../../testing/actors.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());
const key = readSecretKey({ env: { DROVER_SECRET_KEY: "ef".repeat(32) } })!;

it("writes deliveries with the change that announces, for matching subscriptions only, and none when the change rolls back", async () => {
  const project = await projectWithRoster(t.db);
  const other = await projectWithRoster(t.db);
  const hook = await createSubscription(
    t.db,
    key,
    { channel: "webhook", name: "a", url: "https://example.test/h", events: ["story.blocked"], projectIds: [project.id] },
    "u",
  );
  const doneOnly = await createSubscription(t.db, key, { channel: "webhook", name: "b", url: "https://example.test/d", events: ["story.done"] }, "u");
  const elsewhere = await createSubscription(
    t.db,
    key,
    { channel: "webhook", name: "c", url: "https://example.test/o", events: ["story.blocked"], projectIds: [other.id] },
    "u",
  );
  const browser = await createSubscription(t.db, null, { channel: "browser", name: "tabs", events: ["story.blocked"] }, "user-1");
  const s = await createStory(t.db, { projectId: project.id, title: "Atomic", stage: "current" }, testActor);

  await expect(
    inTx(t.db, async (tx) => {
      const locked = await lockStory(tx, project.id, s.number);
      await tx.story.update({ where: { id: locked.id }, data: { blocked: true, blockedReason: "will roll back" } });
      await logProjectEvent(tx, { projectId: project.id, storyId: s.id, kind: "story_blocked", message: "blocked", actor: testActor });
      expect(await tx.notificationDelivery.count()).toBe(1); // visible inside the transaction
      throw new Error("the change fails after its event was logged");
    }),
  ).rejects.toThrow("the change fails");
  expect(await t.db.notification.count()).toBe(0);
  expect(await t.db.notificationDelivery.count()).toBe(0);

  await blockStory(t.db, { projectId: project.id, storyNumber: s.number, reason: "needs a person" }, testActor);
  const rows = await t.db.notificationDelivery.findMany({ include: { notification: true } });
  expect(rows.map((r) => r.subscriptionId)).toEqual([hook.subscription.id]);
  expect(rows[0]!.notification.payload).toMatchObject({ event: "story.blocked", reason: "needs a person", story: { number: s.number, title: "Atomic" } });
  expect(await t.db.notification.count()).toBe(1); // the browser subscription hears of it from the same notification
  expect([doneOnly, elsewhere, browser].map((x) => x.subscription.id)).not.toContain(rows[0]!.subscriptionId);
  // An entry nobody subscribed to writes nothing at all.
  await logProjectEvent(t.db, { projectId: other.id, kind: "config_error", message: "bad toml", actor: testActor });
  expect(await t.db.notification.count()).toBe(1);
});

it("refuses a subscription without events, with an unknown event, or with a URL that is not http(s), saying what to fix", async () => {
  await expect(createSubscription(t.db, key, { channel: "webhook", name: "x", url: "https://e.test", events: [] }, "u")).rejects.toThrow(
    "Choose at least one event",
  );
  await expect(
    createSubscription(t.db, key, { channel: "webhook", name: "x", url: "https://e.test", events: ["story.exploded" as never] }, "u"),
  ).rejects.toThrow(/each must be one of story\.review_needed/);
  await expect(createSubscription(t.db, key, { channel: "slack", name: "x", webhookUrl: "ftp://e.test", events: ["story.done"] }, "u")).rejects.toThrow(
    "The Slack webhook URL must be an http:// or https:// URL",
  );
  await expect(
    createSubscription(t.db, key, { channel: "matrix", name: "x", homeserver: "https://m.test", room: "ops", accessToken: "t", events: ["story.done"] }, "u"),
  ).rejects.toThrow("The Matrix room must be a room id");
});
