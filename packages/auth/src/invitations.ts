// One-time links that let one person sign up with a role: an admin's invitation (bound to an email)
// and the first-run setup link (admin role, offered only while there are no users).
import type { Db } from "@drover/db";
import { DomainError } from "@drover/core/errors";
import type { Role } from "@drover/core/access/roles";
import { hashSecretToken, newSecretToken } from "./secret-token.ts";
import { createUserWithPassword } from "./users.ts";

const INVITATION_TTL_MS = 7 * 24 * 3600_000;
const SETUP_TTL_MS = 24 * 3600_000;

export function invitationPath(token: string): string {
  return `/join/${token}`;
}

export async function createInvitation(db: Db, opts: { email: string; role: Role; invitedById: string | null }): Promise<{ token: string; expiresAt: Date }> {
  const email = opts.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new DomainError("BAD_REQUEST", `"${opts.email}" is not an email address.`);
  if (await db.user.findUnique({ where: { email } })) throw new DomainError("CONFLICT", `${email} already has an account.`);
  const token = newSecretToken("inv_");
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  await db.invitation.create({ data: { tokenHash: hashSecretToken(token), email, role: opts.role, invitedById: opts.invitedById, expiresAt } });
  return { token, expiresAt };
}

/**
 * The first-run setup link: only while no user exists. Each call makes a new link and voids the
 * earlier ones (only the newest printed link works). Null once someone has signed up.
 */
export async function createSetupLink(db: Db): Promise<{ token: string; expiresAt: Date } | null> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('drover:setup-link'))`;
    if ((await tx.user.count()) > 0) return null;
    await tx.invitation.deleteMany({ where: { email: null, usedAt: null } });
    const token = newSecretToken("setup_");
    const expiresAt = new Date(Date.now() + SETUP_TTL_MS);
    await tx.invitation.create({ data: { tokenHash: hashSecretToken(token), email: null, role: "admin", expiresAt } });
    return { token, expiresAt };
  });
}

/** What a link offers, for the sign-up page; throws when it is unknown, used or expired. */
export async function describeInvitation(db: Db, token: string): Promise<{ email: string | null; role: Role; setup: boolean }> {
  const inv = await db.invitation.findUnique({ where: { tokenHash: hashSecretToken(token) } });
  if (!inv) throw new DomainError("NOT_FOUND", "This link is not valid: ask an admin for a new one.");
  if (inv.usedAt) throw new DomainError("PRECONDITION_FAILED", "This link was already used: sign in, or ask an admin for a new one.");
  if (inv.expiresAt < new Date()) throw new DomainError("PRECONDITION_FAILED", "This link has expired: ask an admin for a new one.");
  return { email: inv.email, role: inv.role, setup: inv.email === null };
}

/** Uses a link once: creates the user with the link's role. The link is spent before the user exists, so it works once. */
export async function acceptInvitation(
  db: Db,
  token: string,
  person: { email?: string; name: string; password: string },
): Promise<{ userId: string; email: string }> {
  const offer = await describeInvitation(db, token);
  const email = (offer.email ?? person.email ?? "").trim().toLowerCase();
  if (!email) throw new DomainError("BAD_REQUEST", "Enter your email address.");
  const spent = await db.invitation.updateMany({
    where: { tokenHash: hashSecretToken(token), usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  if (spent.count !== 1) throw new DomainError("PRECONDITION_FAILED", "This link was already used: sign in, or ask an admin for a new one.");
  try {
    const { id } = await createUserWithPassword(db, { email, name: person.name, password: person.password, role: offer.role });
    return { userId: id, email };
  } catch (err) {
    // Nothing half-done: a refused password leaves the link usable.
    await db.invitation.updateMany({ where: { tokenHash: hashSecretToken(token) }, data: { usedAt: null } });
    throw err;
  }
}

export function listPendingInvitations(db: Db) {
  return db.invitation.findMany({
    where: { usedAt: null, email: { not: null }, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true, invitedBy: { select: { name: true } } },
  });
}

export async function revokeInvitation(db: Db, id: number): Promise<void> {
  await db.invitation.deleteMany({ where: { id, usedAt: null } });
}
