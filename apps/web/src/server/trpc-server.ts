// Server-side tRPC for server components: the same router the browser calls, in process, with a
// TanStack Query client per request, so a page's first data comes with its HTML (dehydrated into
// the browser's cache) and a missing story, session or project answers a real 404.
import { appRouter, createContext } from "@drover/api";
import { dehydrate, QueryClient } from "@tanstack/react-query";
import { TRPCError } from "@trpc/server";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import superjson from "superjson";

/** One query client per request (React's cache is request-scoped on the server). */
export const getQueryClient = cache(
  () =>
    new QueryClient({
      defaultOptions: { queries: { staleTime: 2_000, retry: false }, dehydrate: { serializeData: superjson.serialize } },
    }),
);

/** Calls as the signed-in user of the request being rendered (its cookie), so roles and membership apply. */
export const trpcServer = createTRPCOptionsProxy({
  router: appRouter,
  ctx: async () => createContext({ req: { headers: new Headers(await headers()) } }),
  queryClient: getQueryClient,
});

/** What the browser's cache receives (see HydrationBoundary in the pages). */
export const dehydrated = () => dehydrate(getQueryClient());

/** Runs a server-side query; an unknown id becomes Next's 404 page instead of an error. */
export async function fetchOr404<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) notFound();
    throw err;
  }
}
