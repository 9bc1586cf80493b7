// Every tRPC procedure and subscription declares the least role that may call it, and the one
// check in trpc.ts enforces it. The list comes from the router itself, so a new procedure is
// covered the day it is added (and fails here if it forgets its role).
import { ROLES, type Role } from "@drover/core/access/roles";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { createUserWithPassword, getAuth } from "@drover/auth";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/root.ts";
import { createCallerFactory, createContext } from "../src/trpc.ts";
import { testContext } from "../testing/context.ts";

type Proc = { _def: { meta?: { role?: Role }; type: string } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Proc>).map(([path, p]) => ({
  path,
  type: p._def.type,
  role: p._def.meta?.role,
}));

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

/** Calls one procedure by its path with an empty input; resolves to the tRPC error code, or "passed". */
async function codeOf(role: Role | null, path: string): Promise<string> {
  const caller = createCallerFactory(appRouter)(role ? testContext(t.db, { role }) : testContext(t.db, { signedIn: false }));
  const fn = path
    .split(".")
    .reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, caller as unknown as Record<string, unknown>) as unknown as (
    input: unknown,
  ) => Promise<unknown>;
  try {
    await fn({});
    return "passed";
  } catch (err) {
    return (err as { code?: string }).code ?? "unknown";
  }
}

describe("roles", () => {
  it("the router has procedures of every kind, and every one declares a role", () => {
    expect(procedures.length).toBeGreaterThan(30);
    expect(new Set(procedures.map((p) => p.type))).toEqual(new Set(["query", "mutation", "subscription"]));
    const missing = procedures.filter((p) => !p.role || !ROLES.includes(p.role)).map((p) => p.path);
    expect(missing).toEqual([]);
  });

  it("the role table: changes need member or admin, adding repositories needs admin", () => {
    const table = Object.fromEntries(procedures.map((p) => [p.path, p.role]));
    // A viewer changes nothing in projects; managing one's own access tokens and browser notifications are the exceptions.
    const ownTokens = ["people.createToken", "people.revokeToken", "notifications.subscribeBrowser", "notifications.unsubscribeBrowser"];
    for (const p of procedures.filter((p) => p.type === "mutation" && !ownTokens.includes(p.path))) expect(p.role, p.path).not.toBe("viewer");
    expect(table["people.invite"]).toBe("admin");
    expect(table["people.setRole"]).toBe("admin");
    expect(table["projects.add"]).toBe("admin");
    expect(table["imports.storkit"]).toBe("admin");
    expect(table["agents.start"]).toBe("member");
    expect(table["review.approve"]).toBe("member");
    expect(table["views.board"]).toBe("viewer");
    expect(table["live.project"]).toBe("viewer");
    // Secrets and what writes into a repository are an admin's; editing stories a member's; the doctor is a read.
    for (const path of ["secrets.set", "secrets.list", "secrets.remove", "onboarding.rosterOffer", "onboarding.writeStarterRoster"])
      expect(table[path], path).toBe("admin");
    expect(table["stories.update"]).toBe("member");
    expect(table["stories.tick"]).toBe("member");
    expect(table["stories.answer"]).toBe("member");
    expect(table["onboarding.doctor"]).toBe("viewer");
    expect(table["views.storyAt"]).toBe("viewer");
    // Webhooks and chat rooms carry secrets and reach outside: an admin's.
    for (const path of ["notifications.list", "notifications.create", "notifications.remove", "notifications.deliveries", "notifications.redeliver"])
      expect(table[path], path).toBe("admin");
    // The audit trail spans every project, so only admins read it (members see their projects' activity).
    expect(table["audit.list"]).toBe("admin");
  });

  it.each(procedures)("$path ($type, $role) refuses an anonymous call with 401", async ({ path }) => {
    expect(await codeOf(null, path)).toBe("UNAUTHORIZED");
  });

  it.each(procedures.filter((p) => p.role !== "viewer"))("$path refuses a role below $role with 403", async ({ path, role }) => {
    const below = ROLES[ROLES.indexOf(role!) - 1]!;
    expect(await codeOf(below, path)).toBe("FORBIDDEN");
    // With the role it needs, the call gets past the check (to input validation or the service).
    expect(await codeOf(role!, path)).not.toMatch(/^(FORBIDDEN|UNAUTHORIZED)$/);
  });

  it("over HTTP: anonymous is 401, a viewer's mutation is 403 naming the role it needs, a viewer's read works", async () => {
    process.env.DATABASE_URL = t.url;
    await createUserWithPassword(t.db, { email: "vi@example.com", name: "Vi", password: "viewer-password", role: "viewer" });
    const auth = await getAuth(t.db);
    const signIn = await auth.api.signInEmail({ body: { email: "vi@example.com", password: "viewer-password" }, asResponse: true });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const call = (path: string, init: RequestInit) =>
      fetchRequestHandler({ endpoint: "/api/trpc", req: new Request(`http://127.0.0.1/api/trpc/${path}`, init), router: appRouter, createContext });
    const create = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: { projectId: 1, title: "x" } }) };
    expect((await call("stories.create", create)).status).toBe(401);
    const refused = await call("stories.create", { ...create, headers: { ...create.headers, cookie } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { json: { message: string } } }).error.json.message).toBe("This needs the member role; you are a viewer.");
    expect((await call("views.projects", { headers: { cookie } })).status).toBe(200);
  });
});
