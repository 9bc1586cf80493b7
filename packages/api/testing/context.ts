// A tRPC context for tests and scripts that call the API in-process: signed in as an admin unless
// told otherwise, or anonymous with `signedIn: false`.
import type { Role } from "@drover/core/access/roles";
import type { Db } from "@drover/db";
import type { Context } from "../src/trpc.ts";

export function testContext(db: Db, opts: { role?: Role; name?: string; id?: string; signedIn?: boolean | (() => Promise<boolean>) } = {}): Context {
  if (opts.signedIn === false) return { db, signedIn: null };
  const role = opts.role ?? "admin";
  const name = opts.name ?? `Test ${role}`;
  const user = { id: opts.id ?? `test-${role}`, name, email: `${role}@test.invalid`, role };
  const stillValid = typeof opts.signedIn === "function" ? opts.signedIn : async () => true;
  return { db, signedIn: { user, actor: { kind: "user", userId: user.id, name }, stillValid } };
}
