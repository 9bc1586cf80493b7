// tRPC initialisation: context (the shared Prisma client and who is calling), superjson, the one
// role check every procedure passes (meta `{ role }`), and the mapping of domain errors to tRPC
// codes so every rule's message reaches the caller unchanged.
import { DomainError } from "@drover/core/errors";
import { hasRole, type Role } from "@drover/core/access/roles";
import { signedInFromHeaders, type SignedIn } from "@drover/auth";
import { projectRefusal } from "@drover/auth/project-access";
import { getDb, type Db } from "@drover/db";
import { describeIssues } from "@drover/db/services/validate";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { MAX_BATCH_SIZE } from "./request-limits.ts";
import { serverEnv } from "./env.ts";
import { projectOfInput } from "./project-scope.ts";

export interface Context {
  db: Db;
  /**
   * Who is calling (browser session or access token), null when anonymous. A promise so the look-up
   * runs while tRPC reads the body (the body limit still cuts off an oversized upload at once).
   * Procedures read the result as ctx.user, ctx.actor and ctx.stillSignedIn (set by the role check).
   */
  signedIn: Promise<SignedIn | null> | SignedIn | null;
}

/** The context of one call: from a request, or (server components) from the incoming headers. */
export function createContext(opts: { req: { headers: Headers } }): Context {
  const db = getDb(serverEnv().DATABASE_URL);
  const signedIn = signedInFromHeaders(db, opts.req.headers);
  signedIn.catch(() => {}); // awaited (and its error reported) by the role check
  return { db, signedIn };
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
 * call is 401, a role below the procedure's is 403 saying the role it needs, and so is a project
 * the caller is not a member of.
 */
const requireRole = t.middleware(async ({ meta, ctx, path, next, getRawInput }) => {
  if (!meta?.role) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `${path} declares no role: add .meta({ role }) to it` });
  const who = await ctx.signedIn;
  if (!who) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  if (!hasRole(who.user.role, meta.role)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${meta.role} role; you are a ${who.user.role}.` });
  }
  // Per-project membership, for every procedure that names a project (admins see all).
  const projectId = who.user.role === "admin" ? null : await projectOfInput(ctx.db, await getRawInput());
  const refusal = projectId ? await projectRefusal(ctx.db, who.user, projectId) : null;
  if (refusal) throw new TRPCError({ code: "FORBIDDEN", message: refusal });
  // ctx.user (with role) and ctx.actor (who a change is recorded as) for every procedure.
  return next({ ctx: { ...ctx, user: who.user, actor: who.actor, stillSignedIn: who.stillValid } });
});

export const router = t.router;
/** The base of every procedure: declare its role with `.meta({ role: "viewer" | "member" | "admin" })`. */
export const procedure = t.procedure.use(requireRole).use(domainErrors);
export const createCallerFactory = t.createCallerFactory;
