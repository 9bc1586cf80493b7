import type { InvalidateQueryFilters, QueryClient } from "@tanstack/react-query";

/**
 * Re-reads the matching queries from now on. A plain invalidate joins a first load that is still
 * in flight (TanStack only restarts fetches that already have data), and that load began before
 * the change, so the page would keep showing the old list: cancel it first.
 */
export async function refetchFresh(qc: QueryClient, filters: InvalidateQueryFilters): Promise<void> {
  await qc.cancelQueries(filters);
  await qc.invalidateQueries(filters);
}
