// People and sign-in in the browser: sign in, a wrong password, sign out; single sign-on through a
// real OpenID Connect provider; a viewer sees the board but cannot drag and gets 403 from the API;
// a member starts an agent; an admin invites someone who signs up through the link.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "@playwright/test";
import { drag } from "./support/drag.ts";
import { expect, newStory, seeded, test, uid } from "./support/fixtures.ts";
import { ADMIN, ensureUser, signInState } from "./support/sign-in.ts";

const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test-results/artifacts/13");
fs.mkdirSync(artifacts, { recursive: true });
const signedOut = { cookies: [], origins: [] };

async function pageAs(browser: Browser, state: Awaited<ReturnType<typeof signInState>> | typeof signedOut) {
  const context = await browser.newContext({ baseURL: process.env.DROVER_E2E_BASE_URL, storageState: state });
  return context.newPage();
}

test("sign in: a wrong password is refused, the right one opens the board, sign out ends the session", async ({ browser }) => {
  const page = await pageAs(browser, signedOut);
  await page.goto(`/?project=${seeded().projectId}`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("main [role=alert]")).toContainText(/invalid email or password/i);
  await page.screenshot({ path: path.join(artifacts, "sign-in.png") });

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("column-backlog")).toBeVisible();
  await expect(page.getByTestId("me")).toContainText(ADMIN.name);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  // The old cookie no longer works for the API either.
  const res = await page.request.get("/api/trpc/views.projects");
  expect(res.status()).toBe(401);
  await page.context().close();
});

test("single sign-on through the local OpenID Connect provider makes a viewer from the allowed domain", async ({ browser, db }) => {
  const page = await pageAs(browser, signedOut);
  await page.route(/fonts\.googleapis\.com/, (r) => r.abort()); // the provider's login page links a web font
  const login = `olga${uid()}`;
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Example SSO" }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("me")).toContainText(`SSO ${login}`);
  await expect(page.getByTestId("me")).toContainText("viewer");
  const user = await db.user.findUniqueOrThrow({ where: { email: `${login}@sso.example.org` }, include: { accounts: true } });
  expect(user.role).toBe("viewer");
  expect(user.accounts.map((a) => a.providerId)).toEqual(["oidc"]);
  await page.context().close();
});

test("a viewer sees the board but cannot drag a card, and the API answers 403 with the role needed", async ({ browser, db }) => {
  const viewer = { email: `viewer-${uid()}@drover.test`, name: "Vera Viewer", password: "viewer-password-e2e", role: "viewer" as const };
  await ensureUser(db, viewer);
  const story = await newStory(db, `Viewer cannot move ${uid()}`);
  const page = await pageAs(browser, await signInState(process.env.DROVER_E2E_BASE_URL!, viewer.email, viewer.password));
  await page.goto(`/?project=${seeded().projectId}`);
  const card = page.getByTestId("column-backlog").getByTestId(`card-${story.number}`);
  await expect(card).toBeVisible();
  await expect(card).toHaveAttribute("data-movable", "false");
  await expect(page.getByTestId("me")).toContainText("viewer"); // the role is known: what it hides is hidden
  await expect(page.getByRole("button", { name: "New story" })).toHaveCount(0);
  await drag(page, card, page.getByTestId("column-qa"));
  await expect(page.getByTestId("column-backlog").getByTestId(`card-${story.number}`)).toBeVisible();
  expect((await db.story.findUniqueOrThrow({ where: { id: story.id } })).stage).toBe("backlog");

  // The story page: read, not changed (no actions, no edit buttons, the fields locked).
  await page.goto(`/projects/${seeded().projectId}/stories/${story.number}`);
  await expect(page.getByRole("heading", { name: `#${story.number} ${story.title}` })).toBeVisible();
  await expect(page.getByTestId("me")).toContainText("viewer");
  await expect(page.getByTestId("story-actions")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Edit / })).toHaveCount(0);
  await expect(page.getByTestId("front-matter").getByLabel("title")).toBeDisabled();
  await expect(page.getByTestId("front-matter").getByRole("button", { name: "Save" })).toHaveCount(0);

  const res = await page.request.post("/api/trpc/stories.move", {
    data: { json: { projectId: seeded().projectId, storyNumber: story.number, to: "qa" } },
    headers: { origin: process.env.DROVER_E2E_BASE_URL! },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.json.message).toBe("This needs the member role; you are a viewer.");
  await page.context().close();
});

// Without the runner (it would start the demo's autopilot before board.spec reads the demo as seeded):
// the session is pending, which the start and the stop record just the same.
test("a member starts an agent from the story page, and the activity shows their name", async ({ browser, db }) => {
  const member = { email: `member-${uid()}@drover.test`, name: `Max Member ${uid()}`, password: "member-password-e2e", role: "member" as const };
  await ensureUser(db, member);
  const story = await newStory(db, `Member starts ${uid()}`, { stage: "current" });
  const page = await pageAs(browser, await signInState(process.env.DROVER_E2E_BASE_URL!, member.email, member.password));
  await page.goto(`/stories/${story.id}`);
  await page.getByLabel("Agent to start").selectOption("slow-coder");
  await page.getByRole("button", { name: "Start" }).click();
  await expect(page).toHaveURL(/\/sessions\/\d+$/);
  await expect(page.getByTestId("session-status")).toHaveText(/running|pending/);
  await page.getByRole("button", { name: "Stop" }).click();
  // Leaving the page before the stop's answer came back would abort it (seen under load).
  await expect(page.getByTestId("session-status")).toHaveText(/stopped/);

  // The start and the stop are recorded as the member: the feed names them, and the story is held for them.
  const user = await db.user.findUniqueOrThrow({ where: { email: member.email } });
  const started = await db.projectEvent.findFirstOrThrow({ where: { storyId: story.id, kind: "agent_started" } });
  expect([started.actorKind, started.actorUserId, started.actorName]).toEqual(["user", user.id, member.name]);
  await page.goto(`/activity?project=${story.projectId}`);
  const row = page
    .getByTestId("activity")
    .locator("li")
    .filter({ has: page.getByTestId("event-actor").getByText(member.name, { exact: true }) })
    .filter({ hasText: `slow-coder started on story ${story.number}` });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("event-actor")).toHaveAttribute("data-actor-kind", "user");
  await expect.poll(async () => (await db.story.findUniqueOrThrow({ where: { id: story.id } })).heldBy).toBe(member.name);
  await page.context().close();
});

test("an admin invites someone, who signs up through the one-time link with the invited role", async ({ page, browser, db }) => {
  const email = `new-${uid()}@drover.test`;
  await page.goto("/users");
  await expect(page.getByTestId(`user-${ADMIN.email}`)).toContainText("admin");
  await page.getByLabel("Email to invite").fill(email);
  await page.getByLabel("Role to invite as").selectOption("member");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const link = (await page.getByTestId("invite-link").textContent())!;
  expect(link).toMatch(/\/join\/inv_/);
  await page.screenshot({ path: path.join(artifacts, "users-admin.png"), fullPage: true });

  const guest = await pageAs(browser, signedOut);
  await guest.goto(link);
  await expect(guest.getByText("You are invited as member.")).toBeVisible();
  await expect(guest.getByLabel("Email")).toHaveValue(email);
  await guest.getByLabel("Name").fill("Nina New");
  await guest.getByLabel(/^Password/).fill("nina-password-1");
  await guest.getByRole("button", { name: "Join" }).click();
  await expect(guest.getByTestId("me")).toContainText("Nina New");
  await expect(guest.getByTestId("me")).toContainText("member");
  expect((await db.user.findUniqueOrThrow({ where: { email } })).role).toBe("member");

  // The link works once.
  const again = await pageAs(browser, signedOut);
  await again.goto(link);
  await expect(again.locator("main [role=alert]")).toContainText("already used");
  await guest.context().close();
  await again.context().close();
});
