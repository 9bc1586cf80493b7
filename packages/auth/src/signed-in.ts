// Who is calling: a browser session cookie, or `Authorization: Bearer drv_...` (a personal access
// token). Gives the user with their role, the Actor the audit trail records, and a check that says
// whether the sign-in is still valid (live subscriptions end when it is not).
import type { Db } from "@drover/db";
import type { Actor } from "@drover/core/audit/actor";
import { isRole, type Role } from "@drover/core/access/roles";
import { accessTokenValid, resolveAccessToken } from "./access-tokens.ts";
import { getAuth } from "./server.ts";

export interface SignedInUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface SignedIn {
  user: SignedInUser;
  actor: Actor;
  /** True while the session or token is still valid (not signed out, revoked, expired, or the user removed). */
  stillValid(): Promise<boolean>;
}

function toUser(u: { id: string; name: string; email: string; role: unknown }): SignedInUser {
  return { id: u.id, name: u.name, email: u.email, role: isRole(u.role) ? u.role : "viewer" };
}

export async function signedInFromHeaders(db: Db, headers: Headers): Promise<SignedIn | null> {
  const bearer = headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) {
    const row = await resolveAccessToken(db, bearer);
    if (!row) return null;
    const user = toUser(row.user);
    return {
      user,
      actor: { kind: "token", tokenId: String(row.id), userId: user.id, name: user.name },
      stillValid: () => accessTokenValid(db, row.id),
    };
  }
  const auth = await getAuth(db);
  const found = await auth.api.getSession({ headers });
  if (!found) return null;
  const user = toUser(found.user as typeof found.user & { role?: unknown });
  const token = found.session.token;
  return {
    user,
    actor: { kind: "user", userId: user.id, name: user.name },
    stillValid: async () => {
      const s = await db.authSession.findUnique({ where: { token }, select: { expiresAt: true } });
      return Boolean(s && s.expiresAt > new Date());
    },
  };
}
