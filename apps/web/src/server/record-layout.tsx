// The layout of a page about one record (story, session, agent): an unknown or malformed id is
// Next's 404 page with a 404 status, the title names the record, and the record comes with the
// page's HTML (dehydrated into the browser's query cache).
import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { dehydrated, fetchOr404 } from "./trpc-server";

export type RecordLayoutProps = { params: Promise<{ id: string }>; children: ReactNode };
type Params = Pick<RecordLayoutProps, "params">;

export function recordRoute<T>(load: (id: number) => Promise<T>, title: (record: T) => string) {
  const get = async ({ params }: Params) => {
    const id = Number((await params).id);
    return fetchOr404(() => load(id));
  };
  return { get, generateMetadata: async (props: Params): Promise<Metadata> => ({ title: title(await get(props)) }) };
}

/** The page below, with what the server loaded already in the browser's query cache. */
export function Hydrated({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrated()}>{children}</HydrationBoundary>;
}
