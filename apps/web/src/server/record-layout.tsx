// The layout of a page about one record (story, session, agent): an unknown or malformed address is
// Next's 404 page with a 404 status, the title names the record, and the record comes with the
// page's HTML (dehydrated into the browser's query cache).
import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { dehydrated, fetchOr404 } from "./trpc-server";

/** A layout's props; `P` is the route's dynamic segments (`{ id }` for /sessions/[id]). */
export type RecordLayoutProps<P = { id: string }> = { params: Promise<P>; children: ReactNode };

export function recordRoute<T, P = { id: string }>(load: (params: P) => Promise<T>, title: (record: T) => string) {
  const get = async ({ params }: Pick<RecordLayoutProps<P>, "params">) => fetchOr404(async () => load(await params));
  return { get, generateMetadata: async (props: Pick<RecordLayoutProps<P>, "params">): Promise<Metadata> => ({ title: title(await get(props)) }) };
}

/** The page below, with what the server loaded already in the browser's query cache. */
export function Hydrated({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrated()}>{children}</HydrationBoundary>;
}
