// Drover's tRPC API: the router the web app serves, its types for the browser, and the context.
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.ts";

export { appRouter, type AppRouter } from "./root.ts";
/** @public For scripts and tests that call the API in-process. */
export { createCallerFactory, createContext, type Context } from "./trpc.ts";
export { MAX_BATCH_SIZE, MAX_BODY_BYTES } from "./request-limits.ts";

/** @public The typed inputs of every procedure, for clients. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
