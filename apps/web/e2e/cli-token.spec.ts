// A personal access token from the account page drives the real `drover` command line against the
// running server (status, reject, retry, approve as the token's owner, a member); once revoked in
// the page, the same command is refused. The CLI gets a database URL that goes nowhere, so every
// call it makes went through the HTTP API.
import { drover } from "./support/drover-cli.ts";
import { expect, newStory, seeded, test, uid } from "./support/fixtures.ts";
import { ensureUser, signInState } from "./support/sign-in.ts";
import { createTokenInPage } from "./support/account-token.ts";

test("a token made in the page drives the command line against the server until it is revoked", async ({ browser, db }) => {
  const baseURL = process.env.DROVER_E2E_BASE_URL!;
  const member = { email: `cli-${uid()}@drover.test`, name: "Cleo CLI", password: "cli-member-password", role: "member" as const };
  await ensureUser(db, member);
  const context = await browser.newContext({ baseURL, storageState: await signInState(baseURL, member.email, member.password) });
  const page = await context.newPage();
  const token = await createTokenInPage(page, "cli-e2e");
  expect(token).toMatch(/^drv_/);
  const remote = ["--url", baseURL, "--token", token];
  const project = String(seeded().projectId);

  const status = await drover([...remote, "status", project, "--json"]);
  expect(status.stderr).toBe("");
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout).projects[0].id).toBe(seeded().projectId);

  // reject: the notes reach the story and it goes back to current.
  const toReject = await newStory(db, `CLI reject ${uid()}`, { stage: "qa" });
  await db.story.update({ where: { id: toReject.id }, data: { reviewHold: true } });
  const rejected = await drover([...remote, "reject", project, String(toReject.number), "Rename the greeting.", "--json"]);
  expect(rejected.stderr).toBe("");
  expect(JSON.parse(rejected.stdout)).toMatchObject({ number: toReject.number, stage: "current" });
  expect((await db.story.findUniqueOrThrow({ where: { id: toReject.id } })).body).toContain("Rename the greeting.");
  // Recorded as the token's owner, not the OS user running the command line.
  const rejectedEvent = await db.projectEvent.findFirstOrThrow({ where: { storyId: toReject.id, kind: "review_rejected" } });
  expect([rejectedEvent.actorKind, rejectedEvent.actorName]).toEqual(["token", `${member.name} (token)`]);
  // A rule's refusal comes back with its message and exit code (412: not waiting for review).
  const again = await drover([...remote, "reject", project, String(toReject.number), "Once more."]);
  expect(again.code).toBe(5);
  expect(again.stderr).toMatch(/review/i);

  // retry: retries reset and the block cleared (in merge Drover merges it itself, no agent needed).
  const toRetry = await newStory(db, `CLI retry ${uid()}`, { stage: "merge" });
  await db.story.update({ where: { id: toRetry.id }, data: { retryCount: 2, blocked: true, blockedReason: "stuck" } });
  const retried = await drover([...remote, "retry", project, String(toRetry.number), "--json"]);
  expect(retried.stderr).toBe("");
  expect(JSON.parse(retried.stdout)).toMatchObject({ number: toRetry.number, sessionId: null });
  expect(await db.story.findUniqueOrThrow({ where: { id: toRetry.id } })).toMatchObject({ retryCount: 0, blocked: false });

  // The token carries its owner's role: secrets are an admin's.
  const secrets = await drover([...remote, "secret", "list", project]);
  expect(secrets.code).toBe(7);
  expect(secrets.stderr).toContain("This needs the admin role; you are a member.");

  // The token was used, as the page now says; revoke it there.
  await page.reload();
  const row = page.getByTestId("tokens").getByRole("row", { name: /cli-e2e/ });
  await expect(row).toContainText("used ");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");

  const refused = await drover([...remote, "status", project, "--json"]);
  expect(refused.code).toBe(6);
  expect(refused.stdout).toBe("");
  expect(refused.stderr).toContain("the server refused the token");
  const toApprove = await newStory(db, `CLI approve after revoke ${uid()}`, { stage: "qa" });
  await db.story.update({ where: { id: toApprove.id }, data: { reviewHold: true } });
  expect((await drover([...remote, "approve", project, String(toApprove.number)])).code).toBe(6);
  expect((await db.story.findUniqueOrThrow({ where: { id: toApprove.id } })).stage).toBe("qa");
  await context.close();
});
