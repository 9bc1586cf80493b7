// Postgres LISTEN/NOTIFY channels shared by web servers and runners. Payloads are small JSON
// hints ("what changed"); listeners re-read the database, so a lost notification costs latency only.
import pg from "pg";

export const CHANNELS = {
  /** A session became pending, or a stop was requested: {sessionId, projectId} */
  sessions: "drover_sessions",
  /** New SessionEvent rows were written: {sessionId, lastSeq} */
  sessionEvents: "drover_session_events",
  /** Board changed (story, agent or session state): {projectId, storyId?} */
  board: "drover_board",
  /** The web asked runners for work that needs a repository: {requestId} */
  runnerRequests: "drover_runner_requests",
  /** An announcement was written (outbox rows included): {notificationId, projectId, event} */
  notifications: "drover_notifications",
} as const;

export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

interface Queryable {
  $executeRaw?: unknown;
  query?: (text: string, values?: unknown[]) => Promise<unknown>;
}

/** Sends a notification through a pg client/pool, or a Prisma client (inside a transaction it fires on commit). */
export async function notify(target: Queryable, channel: Channel, payload: Record<string, unknown>): Promise<void> {
  const text = JSON.stringify(payload);
  if (typeof target.query === "function") {
    await target.query("SELECT pg_notify($1, $2)", [channel, text]);
  } else {
    const prisma = target as unknown as { $executeRawUnsafe(q: string, ...v: unknown[]): Promise<number> };
    await prisma.$executeRawUnsafe("SELECT pg_notify($1, $2)", channel, text);
  }
}

/**
 * A dedicated connection that LISTENs on channels and reconnects with backoff when the database
 * goes away. `onReconnect` fires after a reconnect so callers can re-read what they may have missed.
 */
export function listen(
  databaseUrl: string,
  channels: Channel[],
  onMessage: (channel: Channel, payload: Record<string, unknown>) => void,
  opts: { onReconnect?: () => void; onError?: (err: Error) => void } = {},
): { close(): Promise<void> } {
  let client: pg.Client | undefined;
  let closed = false;
  let delay = 250;
  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on("notification", (n) => {
      let payload: Record<string, unknown> = {};
      try {
        payload = n.payload ? JSON.parse(n.payload) : {};
      } catch {
        /* a hint only */
      }
      onMessage(n.channel as Channel, payload);
    });
    c.on("error", (err) => {
      opts.onError?.(err);
    });
    c.on("end", () => {
      if (!closed) setTimeout(() => void connect().then(() => opts.onReconnect?.()), delay);
    });
    try {
      await c.connect();
      for (const ch of channels) await c.query(`LISTEN ${pg.escapeIdentifier(ch)}`);
      client = c;
      delay = 250;
    } catch (err) {
      opts.onError?.(err as Error);
      await c.end().catch(() => {});
      delay = Math.min(delay * 2, 5_000);
      // "end" fires after a failed connect too and schedules the retry
    }
  };
  void connect();
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
