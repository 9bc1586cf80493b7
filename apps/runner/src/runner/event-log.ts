// One session's event log: events get their seq when they happen, are written to SessionEvent in
// batches (by count and a short interval), and survive a lost database connection in a bounded
// buffer shared by the runner: retried with backoff, flushed in order. Events beyond the bound are
// counted and the count is written in their place, never dropped silently.
import type { NormalizedEvent } from "@drover/core/runtimes/types";
import type { Db } from "@drover/db";
import { CHANNELS, notify } from "@drover/db/notify";
import type { Logger } from "pino";

/** Runner-wide cap on events held in memory while the database is unreachable. */
export class EventBudget {
  held = 0;
  dropped = 0;
  constructor(readonly max: number) {}
}

export interface SessionStats {
  runtimeSessionId?: string | null;
  turns: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd?: number;
  outcome?: string;
}

interface Row {
  seq: number;
  at: Date;
  kind: string;
  text: string | null;
  payload: unknown;
  raw: string | null;
}

const BATCH = 200;
const INTERVAL_MS = 50;

export class SessionEventLog {
  private queue: Row[] = [];
  private nextSeq: number;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private statsDirty = false;
  private backoff = 0;
  closed = false;
  readonly stats: SessionStats = { turns: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  lastResult: Extract<NormalizedEvent, { kind: "result" }> | undefined;

  constructor(
    private readonly db: Db,
    readonly sessionId: number,
    private readonly guard: { attempt: number; runnerId: string },
    startSeq: number,
    private readonly budget: EventBudget,
    private readonly log: Logger,
  ) {
    this.nextSeq = startSeq;
  }

  push(ev: NormalizedEvent): void {
    this.track(ev);
    if (this.budget.held >= this.budget.max) {
      this.dropped++;
      this.budget.dropped++;
      return;
    }
    if (this.dropped > 0) this.pushDroppedMarker();
    this.enqueue(ev);
  }

  private pushDroppedMarker(): void {
    const n = this.dropped;
    this.dropped = 0;
    this.enqueue({ kind: "error", text: `${n} events dropped: the database was unreachable and the runner's buffer was full` });
    this.log.warn({ sessionId: this.sessionId, dropped: n }, "events dropped while the database was unreachable");
  }

  private enqueue(ev: NormalizedEvent): void {
    const { raw, kind, ...rest } = ev as NormalizedEvent & Record<string, unknown>;
    const text = typeof rest.text === "string" ? rest.text : typeof rest.errorText === "string" ? rest.errorText : null;
    this.queue.push({ seq: this.nextSeq++, at: new Date(), kind, text, payload: rest, raw: raw ?? null });
    this.budget.held++;
    if (this.queue.length >= BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), INTERVAL_MS);
  }

  private track(ev: NormalizedEvent): void {
    const s = this.stats;
    switch (ev.kind) {
      case "init":
        if (ev.runtimeSessionId) {
          s.runtimeSessionId = ev.runtimeSessionId;
          this.statsDirty = true;
        }
        break;
      case "usage":
        if (ev.cumulative) {
          s.inputTokens = ev.inputTokens;
          s.outputTokens = ev.outputTokens;
          s.cacheReadTokens = ev.cacheReadTokens ?? s.cacheReadTokens;
          s.cacheWriteTokens = ev.cacheWriteTokens ?? s.cacheWriteTokens;
          if (ev.costUsd !== undefined) s.costUsd = ev.costUsd;
        } else {
          s.inputTokens += ev.inputTokens;
          s.outputTokens += ev.outputTokens;
          s.cacheReadTokens += ev.cacheReadTokens ?? 0;
          s.cacheWriteTokens += ev.cacheWriteTokens ?? 0;
          if (ev.costUsd !== undefined) s.costUsd = (s.costUsd ?? 0) + ev.costUsd;
        }
        this.statsDirty = true;
        break;
      case "result":
        this.lastResult = ev;
        if (ev.turns !== undefined) s.turns = Math.max(s.turns, ev.turns);
        if (ev.costUsd !== undefined) s.costUsd = ev.costUsd;
        s.outcome = ev.outcome;
        this.statsDirty = true;
        break;
    }
  }

  /** A fresh run in the same session: the id requested before is not this run's. */
  resetRuntimeSessionId(): void {
    this.stats.runtimeSessionId = null;
    this.statsDirty = true;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Writes everything queued so far; retries (with backoff) until it is stored. */
  async drain(): Promise<void> {
    if (this.dropped > 0) this.pushDroppedMarker();
    while (this.queue.length > 0 || this.statsDirty || this.flushing) {
      await this.flush();
    }
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.flushing ??= this.flushLoop().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0 || this.statsDirty) {
      if (this.backoff > 0) await new Promise((r) => setTimeout(r, this.backoff));
      const batch = this.queue.slice(0, 500);
      const statsDirty = this.statsDirty;
      this.statsDirty = false;
      try {
        await this.write(batch, statsDirty);
      } catch (err) {
        if (statsDirty) this.statsDirty = true;
        if (isGone(err)) {
          this.log.warn({ sessionId: this.sessionId }, "session row is gone; discarding its events");
          this.budget.held -= this.queue.length;
          this.queue = [];
          this.statsDirty = false;
          return;
        }
        this.backoff = Math.min(Math.max(this.backoff * 2, 200), 5_000);
        this.log.warn({ sessionId: this.sessionId, err: (err as Error).message, held: this.budget.held, retryInMs: this.backoff }, "event write failed; will retry");
        continue;
      }
      this.backoff = 0;
      this.queue.splice(0, batch.length);
      this.budget.held -= batch.length;
      if (batch.length > 0) {
        await notify(this.db, CHANNELS.sessionEvents, { sessionId: this.sessionId, lastSeq: batch[batch.length - 1].seq }).catch(() => {});
      }
    }
  }

  private async write(batch: Row[], withStats: boolean): Promise<void> {
    const ops = [];
    if (batch.length > 0) {
      ops.push(
        this.db.sessionEvent.createMany({
          data: batch.map((r) => ({ sessionId: this.sessionId, seq: r.seq, at: r.at, kind: r.kind, text: r.text, payload: r.payload as object, raw: r.raw })),
          // A batch whose commit was acknowledged too late is retried: its rows are already there.
          skipDuplicates: true,
        }),
      );
    }
    if (withStats) {
      const s = this.stats;
      ops.push(
        this.db.agentSession.updateMany({
          where: { id: this.sessionId, attempt: this.guard.attempt, runnerId: this.guard.runnerId },
          data: {
            ...(s.runtimeSessionId !== undefined ? { runtimeSessionId: s.runtimeSessionId } : {}),
            turns: s.turns,
            inputTokens: s.inputTokens,
            outputTokens: s.outputTokens,
            cacheReadTokens: s.cacheReadTokens,
            cacheWriteTokens: s.cacheWriteTokens,
            ...(s.costUsd !== undefined ? { costUsd: s.costUsd } : {}),
            ...(s.outcome ? { outcome: s.outcome } : {}),
          },
        }),
      );
    }
    if (ops.length) await this.db.$transaction(ops);
  }
}

function isGone(err: unknown): boolean {
  const msg = String((err as Error)?.message ?? err);
  return /Foreign key constraint|violates foreign key/i.test(msg);
}
