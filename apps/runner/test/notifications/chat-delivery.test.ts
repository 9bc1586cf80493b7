// Slack, Discord and Matrix deliveries, each checked by a local receiver against the service's
// documented incoming format; their webhook URLs and tokens are secrets and never come back.
import { expect, it } from "vitest";
import { blockStory, createStory } from "@drover/db/services/stories";
import { createSubscription, listSubscriptions } from "@drover/db/notifications/subscriptions";
import { listDeliveries } from "@drover/db/notifications/delivery-queue";
import { testActor } from "@drover/db/testing/actors";
import { gatedProject, perTest, KEY, worker } from "./fixtures.ts";
import { receiver, waitFor, type Received, type Receiver } from "./receivers.ts";

const ctx = perTest();
const { dirs, closers } = ctx;

async function listen(check: (r: Received) => string | null, okAnswer: { status: number; body?: string }): Promise<Receiver & { problems: string[] }> {
  const problems: string[] = [];
  const r = await receiver((req) => {
    const problem = check(req);
    if (problem) problems.push(problem);
    return problem ? { status: 400, body: problem } : okAnswer;
  });
  closers.push(r.close);
  return { ...r, problems };
}

const json = (r: Received) => {
  try {
    return r.headers["content-type"] === "application/json" ? JSON.parse(r.body) : null;
  } catch {
    return null;
  }
};

// https://api.slack.com/messaging/webhooks: POST JSON with "text" (mrkdwn; links as <url|label>), answers 200 "ok".
const slackCheck = (r: Received) => {
  const b = json(r);
  if (r.method !== "POST" || r.url !== "/services/T000/B000/XXXXSECRET") return `wrong request ${r.method} ${r.url}`;
  if (!b || typeof b.text !== "string" || !b.text.trim()) return "invalid_payload: text is required";
  return null;
};
// https://discord.com/developers/docs/resources/webhook#execute-webhook: POST JSON, "content" up to 2000 characters; 204.
const discordCheck = (r: Received) => {
  const b = json(r);
  if (r.method !== "POST" || r.url !== "/api/webhooks/123/discord-token") return `wrong request ${r.method} ${r.url}`;
  if (!b || typeof b.content !== "string" || !b.content || b.content.length > 2000) return "content must be 1..2000 characters";
  if (!b.allowed_mentions || !Array.isArray(b.allowed_mentions.parse) || b.allowed_mentions.parse.length) return "expected no pings";
  return null;
};
// https://spec.matrix.org/v1.11/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid
const matrixCheck = (r: Received) => {
  const b = json(r);
  const m = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/([^/]+)$/.exec(r.url);
  if (r.method !== "PUT" || !m) return `wrong request ${r.method} ${r.url}`;
  if (decodeURIComponent(m[1]!) !== "!ops:example.org") return `wrong room ${m[1]}`;
  if (r.headers.authorization !== "Bearer syt_matrix_secret_token") return "M_UNKNOWN_TOKEN";
  if (b?.msgtype !== "m.notice" || typeof b.body !== "string") return "M_BAD_JSON: msgtype and body";
  if (b.format !== "org.matrix.custom.html" || typeof b.formatted_body !== "string") return "M_BAD_JSON: format";
  return null;
};

it("Slack, Discord and Matrix get short messages with the story's link in their documented formats; their secrets never come back", async () => {
  const project = await gatedProject(ctx.t, dirs);
  const slack = await listen(slackCheck, { status: 200, body: "ok" });
  const discord = await listen(discordCheck, { status: 204 });
  const matrix = await listen(matrixCheck, { status: 200, body: '{"event_id":"$abc"}' });
  const base = { events: ["merge.failed", "story.blocked"] as never, projectIds: [project.id] };
  await createSubscription(ctx.t.db, KEY, { channel: "slack", name: "slack", webhookUrl: `${slack.url}/services/T000/B000/XXXXSECRET`, ...base }, "u");
  await createSubscription(ctx.t.db, KEY, { channel: "discord", name: "discord", webhookUrl: `${discord.url}/api/webhooks/123/discord-token`, ...base }, "u");
  await createSubscription(
    ctx.t.db,
    KEY,
    { channel: "matrix", name: "matrix", homeserver: matrix.url, room: "!ops:example.org", accessToken: "syt_matrix_secret_token", ...base },
    "u",
  );
  const w = worker(ctx.t);
  closers.push(() => w.stop());
  const s = await createStory(ctx.t.db, { projectId: project.id, title: "Login <b>broken</b> & more", stage: "current" }, testActor);
  await blockStory(ctx.t.db, { projectId: project.id, storyNumber: s.number, reason: "waiting for the API key" }, testActor);
  await waitFor("three deliveries", async () => (await ctx.t.db.notificationDelivery.count({ where: { status: "delivered" } })) === 3);
  for (const r of [slack, discord, matrix]) {
    expect(r.problems).toEqual([]);
    expect(r.received).toHaveLength(1);
  }
  const link = `https://drover.example.test/projects/${project.id}/stories/${s.number}`;
  expect(JSON.parse(slack.received[0]!.body)).toEqual({
    text: `*<${link}|${project.name} #${s.number} Login &lt;b&gt;broken&lt;/b&gt; &amp; more is blocked>*\nwaiting for the API key`,
  });
  expect(JSON.parse(discord.received[0]!.body).content).toBe(
    `**[${project.name} #${s.number} Login <b>broken</b> & more is blocked](<${link}>)**\nwaiting for the API key`,
  );
  const m = JSON.parse(matrix.received[0]!.body);
  expect(m.body).toBe(`${project.name} #${s.number} Login <b>broken</b> & more is blocked: waiting for the API key\n${link}`);
  expect(m.formatted_body).toBe(
    `<b><a href="${link}">${project.name} #${s.number} Login &lt;b&gt;broken&lt;/b&gt; &amp; more is blocked</a></b>: waiting for the API key`,
  );
  // The transaction id is the delivery's idempotency key: Matrix drops a repeat of it.
  expect(matrix.received[0]!.url).toMatch(/\/send\/m\.room\.message\/dlv_\d+$/);

  const shown = JSON.stringify(
    [await listSubscriptions(ctx.t.db), ...(await Promise.all((await listSubscriptions(ctx.t.db)).map((x) => listDeliveries(ctx.t.db, x.id))))],
    (_k, v) => (typeof v === "bigint" ? String(v) : v),
  );
  for (const secret of ["XXXXSECRET", "discord-token", "syt_matrix_secret_token"]) {
    expect(shown).not.toContain(secret);
    expect(JSON.stringify(await ctx.t.db.notificationSubscription.findMany())).not.toContain(secret);
  }
});

it("a chat receiver's error never records its secret URL", async () => {
  const project = await gatedProject(ctx.t, dirs);
  // Nothing listens there (a receiver that has closed): the error names the refusal, and the secret path must not appear.
  const gone = await receiver();
  await gone.close();
  const { subscription } = await createSubscription(
    ctx.t.db,
    KEY,
    { channel: "slack", name: "dead slack", webhookUrl: `${gone.url}/services/T1/B1/DEADSECRET`, events: ["story.blocked"], projectIds: [project.id] },
    "u",
  );
  const w = worker(ctx.t, { retry: { baseMs: 50, maxMs: 50, retryForMs: 100 } });
  closers.push(() => w.stop());
  const s = await createStory(ctx.t.db, { projectId: project.id, title: "Dead receiver", stage: "current" }, testActor);
  await blockStory(ctx.t.db, { projectId: project.id, storyNumber: s.number, reason: "x" }, testActor);
  const d = await waitFor("failed", () => ctx.t.db.notificationDelivery.findFirst({ where: { subscriptionId: subscription.id, status: "failed" } }));
  const attempts = await ctx.t.db.notificationAttempt.findMany({ where: { deliveryId: d.id } });
  expect(attempts.length).toBeGreaterThan(0);
  expect(JSON.stringify({ d, attempts }, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain("DEADSECRET");
  expect(attempts[0]!.responseExcerpt).toBe("ECONNREFUSED");
});
