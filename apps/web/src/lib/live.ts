"use client";
// Keeps a page current: on any change notification for the project, re-read the view queries
// (the immutable session-log slices excepted). Bursts are coalesced into one refetch.
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "./trpc";
import { refetchFresh } from "./refetch-fresh";

/** projectId null: every project (runners page); undefined: not known yet, so no subscription. */
export function useLiveProject(projectId: number | null | undefined, onChange?: (storyId: number | null) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [connected, setConnected] = useState(false);
  const cb = useRef(onChange);
  cb.current = onChange;
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  useSubscription(
    trpc.live.project.subscriptionOptions(
      { projectId: projectId ?? undefined },
      {
        enabled: projectId !== undefined,
        onStarted: () => setConnected(true),
        onError: () => setConnected(false),
        onData: (d) => {
          const refetchViews = () =>
            refetchFresh(queryClient, {
              queryKey: trpc.views.pathKey(),
              predicate: (q) => !JSON.stringify(q.queryKey).includes("sessionEvents"),
            });
          if ("ready" in d) {
            setConnected(true);
            // A change notified after the page read its data but before this stream was open was missed: read again now.
            void refetchViews();
            return;
          }
          cb.current?.(d.storyId);
          if (timer.current) return;
          timer.current = setTimeout(() => {
            timer.current = null;
            void refetchViews();
          }, 50);
        },
      },
    ),
  );
  return connected;
}
