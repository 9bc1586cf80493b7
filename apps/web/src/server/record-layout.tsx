// The layout of a page about one record (story, session, agent): an unknown or malformed id is
// Next's 404 page with a 404 status, the title names the record, and the record comes with the
// page's HTML (dehydrated into the browser's query cache).
import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { dehydrated, fetchOr404 } from "./trpc-server";

type Params = { params: Promise<{ id: string }> };

export function recordLayout<T>(load: (id: number) => Promise<T>, title: (record: T) => string) {
  const get = async ({ params }: Params) => {
    const id = Number((await params).id);
    return fetchOr404(() => load(id));
  };
  return {
    generateMetadata: async (props: Params): Promise<Metadata> => ({ title: title(await get(props)) }),
    Layout: async (props: Params & { children: ReactNode }) => {
      await get(props);
      return <HydrationBoundary state={dehydrated()}>{props.children}</HydrationBoundary>;
    },
  };
}
