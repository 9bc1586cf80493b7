// Webhooks end to end with local receivers: the outbox row is written with the change, the worker
// sends it signed, retries with backoff, and a hanging receiver does not hold up another one.
import { describe, expect, it } from "vitest";
import { createStory, blockStory } from "@drover/db/services/stories";
import { startAgent } from "@drover/db/services/agents";
import { createSubscription } from "@drover/db/notifications/subscriptions";
import { testActor } from "@drover/db/testing/actors";
import { applyAfterSession } from "../../src/automation/after-end.ts";
import { gatedProject, perTest, KEY, log, worker } from "./fixtures.ts";
import { receiver, waitFor, type Receiver } from "./receivers.ts";
import { verifyDroverSignature } from "./recipe.ts";

const ctx = perTest();
const { dirs, closers } = ctx;

async function listen(...args: Parameters<typeof receiver>): Promise<Receiver> {
  const r = await receiver(...args);
  closers.push(r.close);
  return r;
}

async function webhook(url: string, events: string[], projectIds: number[] = []) {
  return createSubscription(ctx.t.db, KEY, { channel: "webhook", name: `hook ${url}`, url, events: events as never, projectIds }, "admin-user");
}

async function end(sessionId: number) {
  await ctx.t.db.agentSession.update({
    where: { id: sessionId },
    data: { status: "failed", reason: "gate_failed", message: "The gate `npm test` exited with code 1", finishedAt: new Date(), startedAt: new Date() },
  });
  await applyAfterSession(ctx.t.url, ctx.t.db, sessionId, "failed", "gate_failed", log);
}

describe("webhook deliveries", () => {
  it("a story blocked after its retries produces exactly one signed delivery with the documented body", async () => {
    const project = await gatedProject(ctx.t, dirs);
    const rx = await listen();
    const { subscription, signingSecret } = await webhook(`${rx.url}/hooks/drover`, ["story.blocked", "story.done"], [project.id]);
    expect(signingSecret).toMatch(/^whsec_/);
    const s = await createStory(ctx.t.db, { projectId: project.id, title: "Flaky widget", stage: "current" }, testActor);
    const first = await startAgent(ctx.t.db, { projectId: project.id, storyNumber: s.number, agentName: "coder-1", trigger: "user" }, testActor);
    await end(first.id);
    for (let i = 0; i < 2; i++) await end((await ctx.t.db.agentSession.findFirstOrThrow({ where: { storyId: s.id, status: "pending" } })).id);
    expect((await ctx.t.db.story.findUniqueOrThrow({ where: { id: s.id } })).blocked).toBe(true);
    // Retries, moves and starts announce nothing: one outbox row, for the block.
    expect(await ctx.t.db.notificationDelivery.count({ where: { subscriptionId: subscription.id } })).toBe(1);

    const w = worker(ctx.t);
    closers.push(() => w.stop());
    await waitFor("the delivery", () => ctx.t.db.notificationDelivery.findFirst({ where: { subscriptionId: subscription.id, status: "delivered" } }));
    await new Promise((r) => setTimeout(r, 300)); // time for a wrongful second send
    expect(rx.received).toHaveLength(1);
    const req = rx.received[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/hooks/drover");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["drover-event"]).toBe("story.blocked");
    expect(req.headers["idempotency-key"]).toMatch(/^dlv_\d+$/);
    expect(verifyDroverSignature(signingSecret!, req.body, String(req.headers["drover-signature"]))).toBe(true);
    expect(verifyDroverSignature(signingSecret!, req.body.replace("Flaky", "Fixed"), String(req.headers["drover-signature"]))).toBe(false);
    expect(verifyDroverSignature("whsec_other", req.body, String(req.headers["drover-signature"]))).toBe(false);
    const body = JSON.parse(req.body);
    expect(body).toEqual({
      version: 1,
      id: expect.stringMatching(/^\d+$/),
      event: "story.blocked",
      occurred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      project: { id: project.id, name: project.name },
      story: { number: s.number, title: "Flaky widget", url: `https://drover.example.test/projects/${project.id}/stories/${s.number}` },
      agent: null,
      reason: expect.stringContaining("gate"),
      details: {},
      text: expect.stringContaining(`${project.name} #${s.number} Flaky widget is blocked: `),
    });
    const attempts = await ctx.t.db.notificationAttempt.findMany({ where: { delivery: { subscriptionId: subscription.id } } });
    expect(attempts).toMatchObject([{ attempt: 1, ok: true, statusCode: 200, responseExcerpt: "ok" }]);
  });

  it("a receiver failing twice then succeeding gets three attempts, one success, backing off between them", async () => {
    const project = await gatedProject(ctx.t, dirs);
    const rx = await listen((_r, n) => (n <= 2 ? { status: 503, body: `down ${n}` } : { status: 204 }));
    const { subscription } = await webhook(rx.url, ["story.blocked"], [project.id]);
    const w = worker(ctx.t);
    closers.push(() => w.stop());
    const s = await createStory(ctx.t.db, { projectId: project.id, title: "Needs a person", stage: "current" }, testActor);
    await blockStory(ctx.t.db, { projectId: project.id, storyNumber: s.number, reason: "the spec is unclear" }, testActor);
    const d = await waitFor("delivered", () => ctx.t.db.notificationDelivery.findFirst({ where: { subscriptionId: subscription.id, status: "delivered" } }));
    expect(d.attempts).toBe(3);
    const log = await ctx.t.db.notificationAttempt.findMany({ where: { deliveryId: d.id }, orderBy: { id: "asc" } });
    expect(log.map((a) => [a.attempt, a.ok, a.statusCode, a.responseExcerpt])).toEqual([
      [1, false, 503, "down 1"],
      [2, false, 503, "down 2"],
      [3, true, 204, null],
    ]);
    expect(rx.received).toHaveLength(3);
    // One idempotency key for all three: a receiver that saw the first can drop the others.
    expect(new Set(rx.received.map((r) => r.headers["idempotency-key"])).size).toBe(1);
    // Backoff: the base is 100 ms, with jitter at least half of it, doubling.
    expect(rx.received[1]!.at - rx.received[0]!.at).toBeGreaterThanOrEqual(50);
    expect(rx.received[2]!.at - rx.received[1]!.at).toBeGreaterThanOrEqual(100);
  });

  it("a receiver that keeps failing is marked failed when the retry period is spent; a redeliver sends it again under a new key", async () => {
    const project = await gatedProject(ctx.t, dirs);
    let up = false;
    const rx = await listen(() => (up ? { status: 200, body: "thanks" } : { status: 500, body: "boom" }));
    const { subscription } = await webhook(rx.url, ["story.blocked"], [project.id]);
    const w = worker(ctx.t, { retry: { baseMs: 100, maxMs: 100, retryForMs: 400 } });
    closers.push(() => w.stop());
    const s = await createStory(ctx.t.db, { projectId: project.id, title: "Down receiver", stage: "current" }, testActor);
    await blockStory(ctx.t.db, { projectId: project.id, storyNumber: s.number, reason: "stuck" }, testActor);
    const failed = await waitFor("failed", () => ctx.t.db.notificationDelivery.findFirst({ where: { subscriptionId: subscription.id, status: "failed" } }));
    expect(failed.attempts).toBeGreaterThanOrEqual(2);
    expect(failed.lastError).toBe("HTTP 500");
    const before = rx.received.length;
    up = true;
    const { redeliver } = await import("@drover/db/notifications/delivery-queue");
    await redeliver(ctx.t.db, failed.id);
    await waitFor("redelivered", () => ctx.t.db.notificationDelivery.findFirst({ where: { id: failed.id, status: "delivered" } }));
    expect(rx.received).toHaveLength(before + 1);
    expect(rx.received.at(-1)!.headers["idempotency-key"]).toBe(`dlv_${failed.id}_r1`);
  });

  it("a redelivery gets a fresh retry window: a receiver that fails it once still gets it", async () => {
    const project = await gatedProject(ctx.t, dirs);
    let failuresLeft = Infinity;
    const rx = await listen(() => (failuresLeft-- > 0 ? { status: 503, body: "busy" } : { status: 200, body: "thanks" }));
    const { subscription } = await webhook(rx.url, ["story.blocked"], [project.id]);
    const w = worker(ctx.t, { retry: { baseMs: 100, maxMs: 100, retryForMs: 400 } });
    closers.push(() => w.stop());
    const s = await createStory(ctx.t.db, { projectId: project.id, title: "Flaky receiver", stage: "current" }, testActor);
    await blockStory(ctx.t.db, { projectId: project.id, storyNumber: s.number, reason: "stuck" }, testActor);
    const failed = await waitFor("failed", () => ctx.t.db.notificationDelivery.findFirst({ where: { subscriptionId: subscription.id, status: "failed" } }));
    // The original window (400 ms from creation) is long over; the redelivery fails once, then succeeds.
    failuresLeft = 1;
    const { redeliver } = await import("@drover/db/notifications/delivery-queue");
    await redeliver(ctx.t.db, failed.id);
    const done = await waitFor("redelivered", () => ctx.t.db.notificationDelivery.findFirst({ where: { id: failed.id, status: { not: "pending" } } }));
    expect(done.status).toBe("delivered");
    expect(done.attempts).toBe(failed.attempts + 2);
  });

  it("a receiver that hangs does not delay a second receiver", async () => {
    const project = await gatedProject(ctx.t, dirs);
    const slow = await listen(() => "hang");
    const fast = await listen();
    // The hanging one is created first, so its delivery is claimed first.
    const hanging = await webhook(slow.url, ["story.blocked"], [project.id]);
    const quick = await webhook(fast.url, ["story.blocked"], [project.id]);
    const w = worker(ctx.t, { timeoutMs: 5_000, concurrency: 2 });
    closers.push(() => w.stop());
    const s = await createStory(ctx.t.db, { projectId: project.id, title: "Two receivers", stage: "current" }, testActor);
    const blockedAt = Date.now();
    await blockStory(ctx.t.db, { projectId: project.id, storyNumber: s.number, reason: "stuck" }, testActor);
    await waitFor("the quick receiver", () =>
      ctx.t.db.notificationDelivery.findFirst({ where: { subscriptionId: quick.subscription.id, status: "delivered" } }),
    );
    expect(Date.now() - blockedAt).toBeLessThan(2_500); // well inside the hanging receiver's 5 s timeout
    expect(slow.received).toHaveLength(1);
    const pending = await ctx.t.db.notificationDelivery.findFirstOrThrow({ where: { subscriptionId: hanging.subscription.id } });
    expect(pending.status).toBe("pending");
    // And the hanging one times out, is logged as such, and is retried later.
    const a = await waitFor("the timeout", () => ctx.t.db.notificationAttempt.findFirst({ where: { deliveryId: pending.id } }), 10_000);
    expect(a).toMatchObject({ ok: false, statusCode: null, responseExcerpt: "no answer within 5 s" });
  });
});
