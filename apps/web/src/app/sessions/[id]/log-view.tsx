"use client";
// A session's log as a virtual list: only rows on screen exist in the DOM, and only the
// slices on screen are fetched, so 50,000 events load and scroll like 50. Follows the tail
// live (pause by scrolling up or with the button), filters by kind, searches as one types and
// marks the matches, jumps to errors. The filters are in the address (log-filters.ts).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState } from "react";
import { nextError, rowCount, rowOf, seqAt, type LogIndex } from "@/lib/log-index";
import { useSearchHighlight } from "@/lib/search-highlight";
import { useTRPC, useTRPCClient } from "@/lib/trpc";
import { EventRow, type LogEvent } from "./event-row";
import { useLogFilters } from "./log-filters";
import { refetchFresh } from "@/lib/refetch-fresh";

const SLICE = 200;
const KINDS = ["text", "thinking", "tool_call", "tool_result", "stderr", "error", "setup", "gate", "result", "status", "usage", "init", "rate_limit"];

/** status: the session's, so a finished session's result is drawn as what it was (stopped, failed). */
export function LogView({ sessionId, active, status }: { sessionId: number; active: boolean; status: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { kinds, q, qInput, setQInput, applySearch, toggleKind, clear, filtered } = useLogFilters();
  // Opens at the tail (a finished session ends with its result); only a live one offers to pause.
  const [following, setFollowing] = useState(true);
  const [highlight, setHighlight] = useState<number | null>(null);
  const index = useQuery({
    ...trpc.views.sessionIndex.queryOptions({ sessionId, kinds: kinds.length ? kinds : undefined, q: q || undefined }),
    placeholderData: (prev) => prev,
  });
  const ix = index.data as LogIndex | undefined;
  const count = rowCount(ix);

  // Events are immutable once written: cache them by seq, fetch missing slices on demand.
  const cache = useRef(new Map<number, LogEvent>());
  const inflight = useRef(new Set<string>());
  const [, setVersion] = useState(0);

  const parentRef = useRef<HTMLDivElement>(null);
  useSearchHighlight(parentRef, q, "log-search");
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => parentRef.current,
    estimateSize: () => 30,
    overscan: 15,
  });
  const items = virtualizer.getVirtualItems();

  const ensure = useCallback(
    (first: number, last: number) => {
      if (!ix || count === 0) return;
      for (let start = Math.floor(first / SLICE) * SLICE; start <= last; start += SLICE) {
        const end = Math.min(count - 1, start + SLICE - 1);
        const seqs: number[] = [];
        for (let r = start; r <= end; r++) seqs.push(seqAt(ix, r));
        const missing = seqs.filter((s) => !cache.current.has(s));
        if (!missing.length) continue;
        const key = `${missing[0]}-${missing[missing.length - 1]}-${missing.length}`;
        if (inflight.current.has(key)) continue;
        inflight.current.add(key);
        const contiguous = missing[missing.length - 1]! - missing[0]! + 1 === missing.length;
        void client.views.sessionEvents
          .query({ sessionId, fromSeq: missing[0]!, toSeq: missing[missing.length - 1]!, seqs: contiguous ? undefined : missing })
          .then((rows) => {
            for (const r of rows) cache.current.set(r.seq, r as LogEvent);
            setVersion((v) => v + 1);
          })
          .finally(() => inflight.current.delete(key));
      }
    },
    [client, count, ix, sessionId],
  );

  const firstRow = items[0]?.index ?? 0;
  const lastRow = items[items.length - 1]?.index ?? 0;
  useEffect(() => ensure(firstRow, lastRow), [ensure, firstRow, lastRow]);

  // New events: re-read the index (cheap), coalescing bursts.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useSubscription(
    trpc.live.sessionEvents.subscriptionOptions(
      { sessionId },
      {
        enabled: active,
        onData: () => {
          if (pending.current) return;
          pending.current = setTimeout(() => {
            pending.current = null;
            void refetchFresh(queryClient, { queryKey: trpc.views.sessionIndex.queryKey({ sessionId }).slice(0, 1) });
            // Turns, tokens and status move with the log.
            void refetchFresh(queryClient, { queryKey: trpc.views.session.queryKey({ sessionId }) });
          }, 100);
        },
      },
    ),
  );
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);

  useEffect(() => {
    if (following && count > 0) virtualizer.scrollToIndex(count - 1, { align: "end" });
  }, [following, count, virtualizer]);

  function jumpToError() {
    if (!ix) return;
    const from = items.length ? seqAt(ix, Math.min(items[0]!.index, count - 1)) : -1;
    const cur = highlight !== null && highlight >= from ? highlight : from - 1;
    const target = nextError(ix, cur);
    if (target === undefined) return;
    const row = rowOf(ix, target);
    if (row < 0) return;
    setFollowing(false);
    setHighlight(target);
    virtualizer.scrollToIndex(row, { align: "start" });
  }

  return (
    <section className="flex min-h-0 flex-1 flex-col rounded border bg-white">
      <div className="flex flex-wrap items-center gap-2 border-b p-2 text-xs">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            applySearch();
          }}
        >
          <input
            aria-label="Search log"
            className="rounded border px-2 py-1"
            placeholder="Search log"
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
          />
        </form>
        {KINDS.map((k) => (
          <button
            type="button"
            key={k}
            onClick={() => toggleKind(k)}
            className={`rounded border px-1.5 py-0.5 ${kinds.includes(k) ? "bg-slate-900 text-white" : ""}`}
            aria-pressed={kinds.includes(k)}
          >
            {k}
          </button>
        ))}
        <button type="button" className="rounded border px-2 py-0.5" onClick={jumpToError} disabled={!ix?.errorSeqs.length} data-testid="next-error">
          Next error ({ix?.errorSeqs.length ?? 0})
        </button>
        {active && (
          <button
            type="button"
            className="rounded border px-2 py-0.5"
            onClick={() => setFollowing((f) => !f)}
            data-testid="follow-toggle"
            aria-pressed={following}
          >
            {following ? "❚❚ Pause following" : "▶ Follow tail"}
          </button>
        )}
        <a className="rounded border px-2 py-0.5" href={`/api/sessions/${sessionId}/raw`} download>
          Download raw
        </a>
        <span className="ml-auto text-slate-500" data-testid="event-count">
          {count} events
        </span>
      </div>
      <div
        ref={parentRef}
        data-testid="log-scroll"
        className="min-h-0 flex-1 overflow-auto"
        style={{ height: "70vh", contain: "strict" }}
        onWheel={(e) => e.deltaY < 0 && following && setFollowing(false)}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative", width: "100%" }}>
          <div style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${items[0]?.start ?? 0}px)` }}>
            {ix &&
              items.map((it) => {
                const seq = seqAt(ix, it.index);
                const e = cache.current.get(seq);
                return (
                  <div key={it.key} data-index={it.index} ref={virtualizer.measureElement}>
                    {e ? (
                      <EventRow e={e} highlighted={highlight === seq} sessionStatus={status} />
                    ) : (
                      <div className="h-[30px] px-2 py-1 text-xs text-slate-300">{seq} …</div>
                    )}
                  </div>
                );
              })}
          </div>
        </div>
        {count === 0 && (
          <p className="p-4 text-sm text-slate-500" data-testid="log-empty">
            {index.isLoading ? (
              "Loading…"
            ) : filtered ? (
              <>
                No events match {[q && `“${q}”`, kinds.length && `kinds ${kinds.join(", ")}`].filter(Boolean).join(" and ")}.{" "}
                <button type="button" className="underline" onClick={clear}>
                  Clear filters
                </button>
              </>
            ) : active ? (
              "No events yet."
            ) : (
              "This session logged no events."
            )}
          </p>
        )}
      </div>
    </section>
  );
}
