"use client";
// Browser-side tRPC: TanStack Query integration; batched HTTP for queries and mutations,
// server-sent events for subscriptions (live updates).
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext, createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "@drover/api";
import { MAX_BATCH_SIZE } from "@drover/api/request-limits";
import { refetchFresh } from "./refetch-fresh";

const trpcContext = createTRPCContext<AppRouter>();
const { TRPCProvider } = trpcContext;
export const { useTRPC, useTRPCClient } = trpcContext;

/** Answers that another try cannot change (a missing story, bad input, no access) are not retried. */
const FINAL_CODES = new Set(["NOT_FOUND", "BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "PRECONDITION_FAILED"]);
function retryUnlessFinal(failures: number, err: unknown): boolean {
  const code = err instanceof TRPCClientError ? (err.data as { code?: string } | undefined)?.code : undefined;
  return !(code && FINAL_CODES.has(code)) && failures < 3;
}

function createClients() {
  const trpcClient = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url: "/api/trpc", transformer: superjson }),
        false: httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: MAX_BATCH_SIZE }),
      }),
    ],
  });
  const queryClient: QueryClient = new QueryClient({
    defaultOptions: {
      queries: { staleTime: 2_000, refetchOnWindowFocus: false, retry: retryUnlessFinal },
      // Server components prefetch with superjson (server/trpc-server.ts): dates arrive as dates.
      hydrate: { deserializeData: superjson.deserialize },
    },
    // Every action changes what the pages show: re-read the views once it settles, either way.
    mutationCache: new MutationCache({ onSettled: () => refetchFresh(queryClient, { queryKey: views.pathKey() }) }),
    // The session ended (signed out elsewhere, expired, removed): back to the sign-in page.
    queryCache: new QueryCache({ onError: (err) => toSignInWhenSignedOut(err) }),
  });
  const { views } = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  return { trpcClient, queryClient };
}

function toSignInWhenSignedOut(err: unknown): void {
  if ((err as { data?: { code?: string } }).data?.code !== "UNAUTHORIZED" || typeof window === "undefined") return;
  window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
}

export function Providers({ children }: { children: ReactNode }) {
  const [{ trpcClient, queryClient }] = useState(createClients);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
