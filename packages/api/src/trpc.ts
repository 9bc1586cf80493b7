// tRPC initialisation: context (the shared Prisma client and who is calling), superjson, the one
// role check every procedure passes (meta `{ role }`), and the mapping of domain errors to tRPC
// codes so every rule's message reaches the caller unchanged.
import { DomainError } from "@drover/core/errors";
import { hasRole, type Role } from "@drover/core/access/roles";
import type { Actor } from "@drover/core/audit/actor";
import { signedInFromHeaders, type SignedInUser } from "@drover/auth";
import { getDb, type Db } from "@drover/db";
import { describeIssues } from "@drover/db/services/validate";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { MAX_BATCH_SIZE } from "./request-limits.ts";
import { serverEnv } from "./env.ts";

export interface Context {
  db: Db;
  /** The signed-in user (browser session or access token); null for an anonymous call. */
  user: SignedInUser | null;
  /** Who a change is recorded as (the audit trail); null for an anonymous call. */
  actor: Actor | null;
  /** True while the caller's session or token is still valid; live subscriptions end when it is not. */
  stillSignedIn: () => Promise<boolean>;
}

export async function createContext(opts: { req: Request }): Promise<Context> {
  const db = getDb(serverEnv().DATABASE_URL);
  const who = await signedInFromHeaders(db, opts.req.headers);
  return { db, user: who?.user ?? null, actor: who?.actor ?? null, stillSignedIn: who ? who.stillValid : async () => false };
}

/** Every procedure declares the least role that may call it. */
export interface Meta {
  role: Role;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      // tRPC's own refusal of an oversized batch does not say the limit.
      if (error.code === "BAD_REQUEST" && error.message === "Batch call exceeds maximum size") {
        return { ...shape, message: `Batch call exceeds maximum size: send at most ${MAX_BATCH_SIZE} calls in one request` };
      }
      return shape;
    },
  });

/** Runs a procedure and turns a DomainError into the matching TRPCError. */
const domainErrors = t.middleware(async ({ next }) => {
  const res = await next();
  // Input validation failures: "field: problem" instead of zod's issue list as JSON.
  const issues = (res.ok ? undefined : (res.error.cause as { issues?: unknown } | undefined))?.issues;
  if (!res.ok && res.error.code === "BAD_REQUEST" && Array.isArray(issues)) {
    throw new TRPCError({ code: "BAD_REQUEST", message: describeIssues(issues), cause: res.error.cause });
  }
  if (!res.ok && res.error.cause instanceof DomainError) {
    const cause = res.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return res;
});

/**
 * The one role check: a procedure without a declared role is refused (fail closed), an anonymous
 * call is 401, a role below the procedure's is 403 saying the role it needs.
 */
const requireRole = t.middleware(({ meta, ctx, path, next }) => {
  if (!meta?.role) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `${path} declares no role: add .meta({ role }) to it` });
  if (!ctx.user || !ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  if (!hasRole(ctx.user.role, meta.role)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${meta.role} role; you are a ${ctx.user.role}.` });
  }
  return next({ ctx: { ...ctx, user: ctx.user, actor: ctx.actor } });
});

export const router = t.router;
/** The base of every procedure: declare its role with `.meta({ role: "viewer" | "member" | "admin" })`. */
export const procedure = t.procedure.use(requireRole).use(domainErrors);
export const createCallerFactory = t.createCallerFactory;
