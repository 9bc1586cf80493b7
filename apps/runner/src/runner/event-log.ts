// One session's event log: events get their seq when they happen, are written to SessionEvent in
// bulk batches (by size and a short interval), and survive a lost database connection in a bounded
// buffer: retried with backoff, flushed in order. While the database takes writes, a full queue
// asks its producer to pause (the runner stops reading the agent's pipe, so the agent waits instead
// of losing lines); while it is unreachable the agent keeps going and events beyond the bounds are
// counted and the count is written in their place, never dropped silently. The agent's own output
// has a per-session limit for a runaway agent, recorded with its own reason.
import type { NormalizedEvent } from "@drover/core/runtimes/types";
import type { Db } from "@drover/db";
import { pgPool } from "@drover/db/client";
import type { Logger } from "pino";
import { insertEventsSql, type EventRow } from "./event-insert.ts";
import { maskDeep, type Mask } from "@drover/core/runtimes/secret-mask";

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

export interface EventLogLimits {
  /** Memory held by one session's unwritten events (reached only while the database is unreachable: the producer is paused far earlier). */
  maxQueueBytes: number;
  /** Lines of agent output stored per session (a runaway agent's later lines are counted, not stored). */
  maxOutputLines: number;
  /** Bytes of agent output stored per session. */
  maxOutputBytes: number;
}

export const DEFAULT_EVENT_LOG_LIMITS: EventLogLimits = { maxQueueBytes: 64 * 2 ** 20, maxOutputLines: 1_000_000, maxOutputBytes: 256 * 2 ** 20 };

/** Pauses and resumes whatever feeds the log (the agent's pipes). */
export interface Producer {
  pause(): void;
  resume(): void;
}

interface Row extends EventRow {
  bytes: number;
}

/**
 * Queued bytes at which the producer is paused while writes succeed (resumed at a quarter). This
 * bounds what a runner crash loses of an agent's output (with the 64 kB pipe) and how stale a live
 * log gets: under a flood every queued event waits its turn, so with 20 agents flooding at once
 * 1 MB each was ~20,000 events, over a second behind; 256 kB keeps it near a quarter and the
 * batches still big (a smaller bound cost more CPU per event in more, smaller writes).
 */
const PAUSE_BYTES = 256 * 2 ** 10;
const BATCH_ROWS = 2_000;
const BATCH_BYTES = 2 * 2 ** 20;
const TIMER_ROWS = 200; // fewer rows than this wait for the interval, to write them together
const INTERVAL_MS = 50;
const ROW_OVERHEAD = 200; // the row object, its Date and payload object, beyond the strings

export class SessionEventLog {
  private queue: Row[] = [];
  private queueBytes = 0;
  private nextSeq: number;
  private dropped = 0;
  /** A write failed while events were being dropped: the database, not the producer, was the cause. */
  private droppedUnreachable = false;
  private failing = false;
  private producer: Producer | undefined;
  private paused = false;
  private outputLines = 0;
  private outputBytes = 0;
  private outputDropped = 0;
  private outputDroppedReported = 0;
  private readonly limits: EventLogLimits;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private statsDirty = false;
  private backoff = 0;
  closed = false;
  readonly stats: SessionStats = { turns: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  lastResult: Extract<NormalizedEvent, { kind: "result" }> | undefined;
  /** Masks the agent's secrets and credentials in every event before it is stored (and so streamed and downloaded). */
  mask: Mask | undefined;

  constructor(
    private readonly db: Db,
    readonly sessionId: number,
    private readonly guard: { attempt: number; runnerId: string },
    startSeq: number,
    private readonly budget: EventBudget,
    private readonly log: Logger,
    limits: Partial<EventLogLimits> = {},
  ) {
    this.nextSeq = startSeq;
    this.limits = { ...DEFAULT_EVENT_LOG_LIMITS, ...limits };
  }

  /** The producer to pause while the queue is full and the database takes writes; none after the agent exits. */
  setProducer(p: Producer | undefined): void {
    if (this.paused) this.producer?.resume();
    this.paused = false;
    this.producer = p;
    this.applyPressure();
  }

  push(ev: NormalizedEvent): void {
    this.track(ev);
    if (this.budget.held >= this.budget.max || this.queueBytes >= this.limits.maxQueueBytes) {
      this.dropped++;
      this.budget.dropped++;
      if (this.failing) this.droppedUnreachable = true;
      return;
    }
    if (this.dropped > 0) this.pushDroppedMarker();
    this.enqueue(ev);
  }

  /** The events of one line the agent printed (`bytes` long), within the session's output limit. */
  pushOutput(evs: NormalizedEvent[], bytes: number): void {
    const { maxOutputLines, maxOutputBytes } = this.limits;
    if (this.outputDropped === 0 && this.outputLines < maxOutputLines && this.outputBytes + bytes <= maxOutputBytes) {
      this.outputLines++;
      this.outputBytes += bytes;
      for (const ev of evs) this.push(ev);
      return;
    }
    if (this.outputDropped++ === 0) {
      this.push({ kind: "error", text: `output limit reached after ${this.outputLines} lines: later lines are not stored (${this.limitText()})` });
      this.log.warn({ sessionId: this.sessionId, lines: this.outputLines, bytes: this.outputBytes }, "agent output limit reached");
    }
    // The run's result still counts and is stored; the rest only updates the session's figures.
    for (const ev of evs) {
      if (ev.kind === "result") this.push(ev);
      else this.track(ev);
    }
  }

  /** Records how much output the limit dropped so far (once per run, when the agent is done). */
  reportOutputDropped(): void {
    if (this.outputDropped === this.outputDroppedReported) return;
    this.outputDroppedReported = this.outputDropped;
    this.push({ kind: "error", text: `output limit reached: ${this.outputLines} lines kept, ${this.outputDropped} dropped (${this.limitText()})` });
  }

  private limitText(): string {
    return `runner limit: ${this.limits.maxOutputLines} lines or ${Math.round(this.limits.maxOutputBytes / 2 ** 20)} MB per session`;
  }

  private pushDroppedMarker(): void {
    const n = this.dropped;
    this.dropped = 0;
    const why = this.droppedUnreachable || this.failing ? "the database was unreachable and the runner's buffer was full" : "the runner's write queue was full";
    this.droppedUnreachable = false;
    this.enqueue({ kind: "error", text: `${n} events dropped: ${why}` });
    this.log.warn({ sessionId: this.sessionId, dropped: n }, `events dropped: ${why}`);
  }

  private enqueue(event: NormalizedEvent): void {
    const ev = this.mask ? maskDeep(event, this.mask) : event;
    const { raw, kind, ...rest } = ev as NormalizedEvent & Record<string, unknown>;
    const text = typeof rest.text === "string" ? rest.text : typeof rest.errorText === "string" ? rest.errorText : null;
    // text usually sits in the payload too: count it twice
    const bytes = ROW_OVERHEAD + 2 * (text?.length ?? 0) + (raw?.length ?? 0);
    this.queue.push({ seq: this.nextSeq++, at: new Date(), kind, text, payload: rest, raw: raw ?? null, bytes });
    this.queueBytes += bytes;
    this.budget.held++;
    this.applyPressure();
    if (this.queue.length >= TIMER_ROWS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), INTERVAL_MS);
  }

  /** Pauses the producer while writes succeed and the queue is full; resumes it when it has room, or when writes fail. */
  private applyPressure(): void {
    if (!this.producer) return;
    const high = Math.min(PAUSE_BYTES, this.limits.maxQueueBytes / 2);
    // Only this session's own queue decides: it alone is sure to drain and wake the producer again.
    const full = !this.failing && this.queueBytes >= high;
    if (full && !this.paused) {
      this.paused = true;
      this.producer.pause();
    } else if (this.paused && (this.failing || this.queueBytes <= high / 4)) {
      this.paused = false;
      this.producer.resume();
    }
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
      const batch = this.nextBatch();
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
          this.queueBytes = 0;
          this.statsDirty = false;
          return;
        }
        // As today while the database is away: the agent goes on, events are held up to the bounds.
        this.failing = true;
        if (this.dropped > 0) this.droppedUnreachable = true;
        this.applyPressure();
        this.backoff = Math.min(Math.max(this.backoff * 2, 200), 5_000);
        this.log.warn(
          { sessionId: this.sessionId, err: (err as Error).message, held: this.budget.held, retryInMs: this.backoff },
          "event write failed; will retry",
        );
        continue;
      }
      this.backoff = 0;
      this.failing = false;
      this.queue.splice(0, batch.length);
      for (const r of batch) this.queueBytes -= r.bytes;
      this.budget.held -= batch.length;
      this.applyPressure();
    }
  }

  /** The oldest queued rows, up to a batch's rows and bytes (at least one row). */
  private nextBatch(): Row[] {
    let n = 0;
    let bytes = 0;
    while (n < this.queue.length && n < BATCH_ROWS && (n === 0 || bytes + this.queue[n].bytes <= BATCH_BYTES)) bytes += this.queue[n++].bytes;
    return this.queue.slice(0, n);
  }

  private async write(batch: Row[], withStats: boolean): Promise<void> {
    const insert = batch.length > 0 ? insertEventsSql(this.sessionId, batch) : undefined;
    // The common case, events alone: one statement straight on the pool, without Prisma's
    // per-query work (the runner's main cost in an output flood) nor a transaction.
    const pool = pgPool(this.db);
    if (insert && !withStats && pool) {
      await pool.query(insert.text, insert.values);
      return;
    }
    const ops = [];
    if (insert) ops.push(this.db.$executeRawUnsafe(insert.text, ...insert.values));
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
