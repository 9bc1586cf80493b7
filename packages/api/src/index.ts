// Drover's tRPC API: the router the web app serves, its types for the browser, and the context.
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.ts";

export { appRouter, type AppRouter } from "./root.ts";
export { createCallerFactory, createContext, type Context } from "./trpc.ts";
export { MAX_BATCH_SIZE, MAX_BODY_BYTES } from "./request-limits.ts";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
