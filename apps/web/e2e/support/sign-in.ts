// Signing in for the browser tests: users made through @drover/auth (as `drover user add` does),
// sessions through the app's own sign-in endpoint, saved as Playwright storage state.
import fs from "node:fs";
import path from "node:path";
import type { Role } from "@drover/core/access/roles";
import { createUserWithPassword } from "@drover/auth";
import type { Db } from "@drover/db";

export const ADMIN = { email: "admin@drover.test", name: "Ada Admin", password: "admin-password-e2e" };

export async function ensureUser(db: Db, u: { email: string; name: string; password: string; role: Role }): Promise<void> {
  if (!(await db.user.findUnique({ where: { email: u.email } }))) await createUserWithPassword(db, u);
}

/** Signs in through the app; returns the session cookies as Playwright storage state. */
export async function signInState(baseURL: string, email: string, password: string) {
  const res = await fetch(`${baseURL}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseURL },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  const host = new URL(baseURL).hostname;
  const cookies = res.headers.getSetCookie().map((c) => {
    const [pair] = c.split(";");
    const i = pair!.indexOf("=");
    return {
      name: pair!.slice(0, i),
      value: pair!.slice(i + 1),
      domain: host,
      path: "/",
      expires: -1,
      httpOnly: true,
      secure: false,
      sameSite: "Lax" as const,
    };
  });
  return { cookies, origins: [] };
}

export function writeState(file: string, state: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(state));
}

/** The admin's session as a Cookie header, for requests made without Playwright's request context. */
export function adminCookieHeader(stateFile: string): string {
  const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { cookies: Array<{ name: string; value: string }> };
  return state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}
