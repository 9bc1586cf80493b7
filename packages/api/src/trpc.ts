// tRPC initialisation: context (the shared Prisma client), superjson, and the mapping of
// domain errors to tRPC codes so every rule's message reaches the caller unchanged.
import type { Actor } from "@drover/core/audit/actor";
import { DomainError } from "@drover/core/errors";
import { getDb, type Db } from "@drover/db";
import { describeIssues } from "@drover/db/services/validate";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { MAX_BATCH_SIZE } from "./request-limits.ts";
import { serverEnv } from "./env.ts";
import { localOperator } from "./local-operator.ts";

export interface Context {
  db: Db;
  /** Who is calling: every change a procedure makes is recorded as theirs. */
  actor: Actor;
}

export function createContext(): Context {
  return { db: getDb(serverEnv().DATABASE_URL), actor: localOperator() };
}

const t = initTRPC.context<Context>().create({
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

export const router = t.router;
export const publicProcedure = t.procedure.use(domainErrors);
export const createCallerFactory = t.createCallerFactory;
