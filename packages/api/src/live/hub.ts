// One LISTEN connection per web server process, fanned out to every subscriber in it.
// Notifications are hints ("something changed"); subscribers re-read Postgres.
import { EventEmitter, on } from "node:events";
import { CHANNELS, listen, type Channel } from "@drover/db/notify";

type Name = keyof typeof CHANNELS;
const NAMES = Object.keys(CHANNELS) as Name[];
const BY_CHANNEL = new Map<Channel, Name>(NAMES.map((n) => [CHANNELS[n], n]));

export interface LiveHub {
  /** Yields each matching payload until the signal aborts; also yields {reconnected:true} after a reconnect. */
  stream(name: Name | "any", signal: AbortSignal | undefined, match?: (p: Record<string, unknown>) => boolean): AsyncGenerator<Record<string, unknown>>;
}

function createHub(databaseUrl: string): LiveHub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    listen(
      databaseUrl,
      Object.values(CHANNELS),
      (channel, payload) => {
        const name = BY_CHANNEL.get(channel);
        if (name) {
          emitter.emit(name, payload);
          emitter.emit("any", { ...payload, channel: name });
        }
      },
      {
        // Anything may have changed while the connection was down: tell everyone to re-read.
        onReconnect: () => {
          for (const n of [...NAMES, "any"]) emitter.emit(n, { reconnected: true });
        },
        onError: () => {},
      },
    );
  };
  return {
    async *stream(name, signal, match) {
      start();
      try {
        for await (const [payload] of on(emitter, name, { signal })) {
          const p = payload as Record<string, unknown>;
          if (p.reconnected || !match || match(p)) yield p;
        }
      } catch (err) {
        if ((err as Error).name !== "AbortError") throw err;
      }
    },
  };
}

// Next.js may load this module more than once per process; keep one hub on globalThis.
const g = globalThis as unknown as { __droverHub?: { url: string; hub: LiveHub } };

export function getHub(databaseUrl = process.env.DATABASE_URL): LiveHub {
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  if (!g.__droverHub || g.__droverHub.url !== databaseUrl) g.__droverHub = { url: databaseUrl, hub: createHub(databaseUrl) };
  return g.__droverHub.hub;
}
