// People: create one with a password (through Better Auth's own adapter, so the rows are exactly
// what sign-in expects), list them, change a role, remove one.
import type { Db } from "@drover/db";
import { DomainError } from "@drover/core/errors";
import type { Role } from "@drover/core/access/roles";
import { MIN_PASSWORD_LENGTH } from "./password.ts";
import { getAuth } from "./server.ts";

export interface NewUser {
  email: string;
  name: string;
  password: string;
  role: Role;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new DomainError("BAD_REQUEST", `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
}

export async function createUserWithPassword(db: Db, u: NewUser): Promise<{ id: string }> {
  checkPassword(u.password);
  const email = u.email.trim().toLowerCase();
  if (await db.user.findUnique({ where: { email } })) throw new DomainError("CONFLICT", `A user with the email ${email} already exists.`);
  const ctx = await (await getAuth(db)).$context;
  const user = await ctx.internalAdapter.createUser({ email, name: u.name.trim() || email, emailVerified: true, role: u.role }, { method: "admin" });
  await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: await ctx.password.hash(u.password) });
  return { id: user.id };
}

export function countUsers(db: Db): Promise<number> {
  return db.user.count();
}

export function listUsers(db: Db) {
  return db.user.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, email: true, role: true, createdAt: true, accounts: { select: { providerId: true } } },
  });
}

/** Changes a role; the last admin cannot stop being one (someone must be able to manage users). */
export async function setRole(db: Db, userId: string, role: Role): Promise<void> {
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new DomainError("NOT_FOUND", "No such user.");
    if (user.role === "admin" && role !== "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) {
      throw new DomainError("CONFLICT", "This is the last admin: make someone else an admin first.");
    }
    await tx.user.update({ where: { id: userId }, data: { role } });
  });
}

/** Removes a user with their sign-ins and tokens; not the last admin. */
export async function removeUser(db: Db, userId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new DomainError("NOT_FOUND", "No such user.");
    if (user.role === "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) {
      throw new DomainError("CONFLICT", "This is the last admin: make someone else an admin first.");
    }
    await tx.user.delete({ where: { id: userId } });
  });
}
