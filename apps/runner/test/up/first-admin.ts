// What a newcomer does after `drover up` on a first start: open the printed setup link and create
// the admin. Returns the session cookie for API calls.
import { expect } from "vitest";

export function setupLinkIn(out: string): string | undefined {
  return /(http:\/\/\S+\/join\/setup_\S+)/.exec(out)?.[1];
}

export async function createFirstAdmin(link: string): Promise<string> {
  const { origin, pathname } = new URL(link);
  const res = await fetch(`${origin}/api/join`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ token: pathname.split("/").pop(), email: "admin@drover.test", name: "Admin", password: "first-admin-password" }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}
