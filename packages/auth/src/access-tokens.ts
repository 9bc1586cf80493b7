// Personal access tokens: scripts and the command line act as the token's owner, with the owner's
// role. Shown once at creation, stored as SHA-256, always with an expiry, revocable.
import type { Db } from "@drover/db";
import { DomainError } from "@drover/core/errors";
import { hashSecretToken, newSecretToken } from "./secret-token.ts";

const TOKEN_PREFIX = "drv_";
const MAX_TOKEN_DAYS = 366;

export async function createAccessToken(db: Db, userId: string, opts: { name: string; days: number }): Promise<{ id: number; token: string; expiresAt: Date }> {
  const name = opts.name.trim();
  if (!name || name.length > 100) throw new DomainError("BAD_REQUEST", "Give the token a name of 1 to 100 characters (what uses it).");
  if (!Number.isInteger(opts.days) || opts.days < 1 || opts.days > MAX_TOKEN_DAYS) {
    throw new DomainError("BAD_REQUEST", `A token expires after 1 to ${MAX_TOKEN_DAYS} days.`);
  }
  const token = newSecretToken(TOKEN_PREFIX);
  const expiresAt = new Date(Date.now() + opts.days * 24 * 3600_000);
  const row = await db.apiToken.create({ data: { userId, name, tokenHash: hashSecretToken(token), prefix: token.slice(0, 10), expiresAt } });
  return { id: row.id, token, expiresAt };
}

export function listAccessTokens(db: Db, userId: string) {
  return db.apiToken.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** Revokes one of the user's own tokens (admins may revoke anyone's). */
export async function revokeAccessToken(db: Db, tokenId: number, by: { userId: string; isAdmin: boolean }): Promise<void> {
  const res = await db.apiToken.updateMany({
    where: { id: tokenId, revokedAt: null, ...(by.isAdmin ? {} : { userId: by.userId }) },
    data: { revokedAt: new Date() },
  });
  if (res.count !== 1) throw new DomainError("NOT_FOUND", "No such active token.");
}

/** The token's owner when it is valid now; null when unknown, revoked or expired. */
export async function resolveAccessToken(db: Db, token: string) {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashSecretToken(token) }, include: { user: true } });
  if (!row || row.revokedAt || row.expiresAt <= new Date()) return null;
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return row;
}

/** Still valid? (live subscriptions re-check this and end when it is not) */
export async function accessTokenValid(db: Db, tokenId: number): Promise<boolean> {
  const row = await db.apiToken.findUnique({ where: { id: tokenId }, select: { revokedAt: true, expiresAt: true } });
  return Boolean(row && !row.revokedAt && row.expiresAt > new Date());
}
