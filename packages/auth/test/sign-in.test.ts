// Sign-in through Better Auth's real HTTP handler on a real database: argon2id hashes, one-time
// links, the per-account lock that says for how long, access tokens, and who a request is.
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptInvitation, createAccessToken, createInvitation, createSetupLink, getAuth, revokeAccessToken, signedInFromHeaders } from "../src/index.ts";
import { createUserWithPassword } from "../src/users.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const ORIGIN = "http://127.0.0.1:3999";

async function signIn(email: string, password: string, ip = "203.0.113.7") {
  const auth = await getAuth(t.db);
  return auth.handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

describe("sign-in", () => {
  it("first run: the setup link makes an admin, then no more setup links are offered", async () => {
    const link = await createSetupLink(t.db);
    expect(link?.token).toMatch(/^setup_/);
    const second = await createSetupLink(t.db);
    // A new link voids the earlier one.
    await expect(acceptInvitation(t.db, link!.token, { email: "old@example.com", name: "Old", password: "long-enough-pw" })).rejects.toThrow(/not valid/);
    const { email } = await acceptInvitation(t.db, second!.token, { email: "Ana@Example.com", name: "Ana", password: "correct horse battery" });
    expect(email).toBe("ana@example.com");
    expect((await t.db.user.findUniqueOrThrow({ where: { email } })).role).toBe("admin");
    const account = await t.db.authAccount.findFirstOrThrow({ where: { user: { email } } });
    expect(account.password).toMatch(/^\$argon2id\$/);
    expect(await createSetupLink(t.db)).toBeNull();
    await expect(acceptInvitation(t.db, second!.token, { name: "x", password: "long-enough-pw" })).rejects.toThrow(/already used/);
  });

  it("signs in with the right password, sets an httpOnly SameSite cookie, and says who is calling", async () => {
    const res = await signIn("ana@example.com", "correct horse battery");
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/drover\.session_token=.*HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const who = await signedInFromHeaders(t.db, new Headers({ cookie: cookieOf(res) }));
    expect(who?.user).toMatchObject({ email: "ana@example.com", role: "admin" });
    expect(who?.actor).toMatchObject({ kind: "user", name: "Ana" });
    expect(await who?.stillValid()).toBe(true);
    await t.db.authSession.deleteMany({ where: { user: { email: "ana@example.com" } } }); // signed out elsewhere
    expect(await who?.stillValid()).toBe(false);
  });

  it("locks an account after 5 wrong passwords and says for how long; the right password is refused meanwhile", async () => {
    await createUserWithPassword(t.db, { email: "bo@example.com", name: "Bo", password: "bo-password-1", role: "member" });
    for (let i = 0; i < 5; i++) expect((await signIn("bo@example.com", "wrong-password", `198.51.100.${i}`)).status).toBe(401);
    const locked = await signIn("bo@example.com", "bo-password-1", "198.51.100.99");
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { message: string }).message).toMatch(/this account is locked for 15 minutes \(until \d\d:\d\d UTC\)/);
    // Another account from the same addresses is not locked.
    expect((await signIn("ana@example.com", "correct horse battery", "198.51.100.1")).status).toBe(200);
  });

  it("locks an address after 20 failures across accounts", async () => {
    for (let i = 0; i < 20; i++) await signIn(`nobody${i}@example.com`, "wrong-password", "192.0.2.50");
    const res = await signIn("ana@example.com", "correct horse battery", "192.0.2.50");
    expect(res.status).toBe(429);
    expect(((await res.json()) as { message: string }).message).toMatch(/sign-ins from your address is locked/);
  });

  it("an invitation gives its role to the invited email only, once", async () => {
    const admin = await t.db.user.findUniqueOrThrow({ where: { email: "ana@example.com" } });
    const inv = await createInvitation(t.db, { email: "cy@example.com", role: "viewer", invitedById: admin.id });
    await expect(acceptInvitation(t.db, inv.token, { name: "Cy", password: "short" })).rejects.toThrow(/at least 10/);
    await acceptInvitation(t.db, inv.token, { email: "someone-else@example.com", name: "Cy", password: "cy-password-1" });
    expect((await t.db.user.findUniqueOrThrow({ where: { email: "cy@example.com" } })).role).toBe("viewer");
    expect(await t.db.user.findUnique({ where: { email: "someone-else@example.com" } })).toBeNull();
  });

  it("a personal access token acts as its owner until revoked; only its hash is stored", async () => {
    const bo = await t.db.user.findUniqueOrThrow({ where: { email: "bo@example.com" } });
    const { id, token } = await createAccessToken(t.db, bo.id, { name: "ci", days: 30 });
    expect(await t.db.apiToken.count({ where: { tokenHash: token } })).toBe(0);
    const who = await signedInFromHeaders(t.db, new Headers({ authorization: `Bearer ${token}` }));
    expect(who?.user).toMatchObject({ email: "bo@example.com", role: "member" });
    expect(who?.actor).toEqual({ kind: "token", tokenId: String(id), userId: bo.id, name: "Bo" });
    await revokeAccessToken(t.db, id, { userId: bo.id, isAdmin: false });
    expect(await who?.stillValid()).toBe(false);
    expect(await signedInFromHeaders(t.db, new Headers({ authorization: `Bearer ${token}` }))).toBeNull();
    expect(await signedInFromHeaders(t.db, new Headers({ authorization: "Bearer drv_made-up" }))).toBeNull();
  });
});
