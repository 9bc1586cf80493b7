// Notifications over the API: a webhook's signing secret is returned once and never listed; a chat
// webhook URL never comes back; a person's live notification stream carries only the events they
// subscribed to, in projects they may see.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { projectWithRoster } from "@drover/db/testing/project-fixtures";
import { blockStory, createStory } from "@drover/db/services/stories";
import { testActor } from "@drover/db/testing/actors";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appRouter } from "../src/root.ts";
import { createCallerFactory } from "../src/trpc.ts";
import { testContext } from "../testing/context.ts";

let t: TestDatabase;
const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-notify-key-"));
beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url; // the live hub LISTENs on it
  process.env.DROVER_DATA_DIR = keyDir; // where ensureSecretKey makes its key file
});
afterAll(async () => {
  await t.drop();
  fs.rmSync(keyDir, { recursive: true, force: true });
});

const caller = (role: "admin" | "viewer", id?: string) => createCallerFactory(appRouter)(testContext(t.db, { role, ...(id ? { id } : {}) }));

it("an admin's webhook secret is shown once; chat webhook URLs are never shown back", async () => {
  const admin = caller("admin");
  const made = await admin.notifications.create({ channel: "webhook", name: "CI", url: "https://ci.example.test/drover", events: ["story.done"] });
  expect(made.signingSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  await admin.notifications.create({
    channel: "slack",
    name: "team",
    webhookUrl: "https://hooks.slack.test/services/T1/B1/SLACKSECRET",
    events: ["story.blocked"],
  });
  const listed = JSON.stringify(await admin.notifications.list());
  expect(listed).toContain("https://ci.example.test/drover");
  expect(listed).not.toContain(made.signingSecret!);
  expect(listed).not.toContain("SLACKSECRET");
  await expect(admin.notifications.create({ channel: "webhook", name: "x", url: "not a url", events: ["story.done"] })).rejects.toThrow(
    "The webhook URL must be an http:// or https:// URL",
  );
});

it("a viewer's open tab hears of the events they subscribed to, and not of others", async () => {
  const project = await projectWithRoster(t.db);
  const viewer = caller("viewer", "viewer-1");
  await viewer.notifications.subscribeBrowser({ events: ["story.blocked"] });
  // Someone else's browser subscription to another event writes a notification this viewer must not see.
  await caller("viewer", "viewer-2").notifications.subscribeBrowser({ events: ["config.error"] });
  expect((await viewer.notifications.mine()).map((s) => s.events)).toEqual([["story.blocked"]]);

  const ac = new AbortController();
  const live = createCallerFactory(appRouter)(testContext(t.db, { role: "viewer", id: "viewer-1" }), { signal: ac.signal });
  const it = ((await live.live.notifications()) as AsyncIterable<Record<string, unknown>>)[Symbol.asyncIterator]();
  expect((await it.next()).value).toEqual({ ready: true });
  const next = it.next(); // starts the hub's LISTEN
  await new Promise((r) => setTimeout(r, 1000)); // ... which is up by now
  const s = await createStory(t.db, { projectId: project.id, title: "Ping me", stage: "current" }, testActor);
  const { logProjectEvent } = await import("@drover/db/services/events");
  await logProjectEvent(t.db, { projectId: project.id, kind: "config_error", message: "bad toml", actor: testActor });
  await blockStory(t.db, { projectId: project.id, storyNumber: s.number, reason: "needs a decision" }, testActor);
  const got = await next;
  ac.abort();
  expect(got.value).toEqual({
    id: expect.any(String),
    event: "story.blocked",
    title: `${project.name} #${s.number} Ping me is blocked`,
    body: "needs a decision",
    path: `/projects/${project.id}/stories/${s.number}`,
  });
});
