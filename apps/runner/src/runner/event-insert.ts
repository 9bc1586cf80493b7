// Writes a batch of session events in one statement: columns as arrays through unnest, so a batch
// of thousands of rows costs one round trip (Prisma's createMany sends a parameter per value and
// was the limit in an output flood). A batch retried after a late commit acknowledgement skips the
// rows already stored.
import { Prisma } from "@drover/db";

export interface EventRow {
  seq: number;
  at: Date;
  kind: string;
  text: string | null;
  payload: unknown;
  raw: string | null;
}

// Postgres text cannot hold NUL: an agent printing one would make its batch fail forever.
const noNul = (s: string): string => (s.includes("\0") ? s.replaceAll("\0", "\uFFFD") : s);
const jsonNoNul = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === "string" ? noNul(x) : x));

export function insertEventsSql(sessionId: number, rows: EventRow[]): Prisma.Sql {
  const seq: number[] = [];
  const at: string[] = [];
  const kind: string[] = [];
  const text: (string | null)[] = [];
  const payload: (string | null)[] = [];
  const raw: (string | null)[] = [];
  for (const r of rows) {
    seq.push(r.seq);
    at.push(r.at.toISOString());
    kind.push(noNul(r.kind));
    text.push(r.text === null ? null : noNul(r.text));
    payload.push(r.payload === undefined || r.payload === null ? null : jsonNoNul(r.payload));
    raw.push(r.raw === null ? null : noNul(r.raw));
  }
  return Prisma.sql`INSERT INTO session_events (session_id, seq, at, kind, text, payload, raw)
    SELECT ${sessionId}::int, u.seq, u.at::timestamptz, u.kind, u.text, u.payload::jsonb, u.raw
    FROM unnest(${seq}::int[], ${at}::text[], ${kind}::text[], ${text}::text[], ${payload}::text[], ${raw}::text[]) AS u(seq, at, kind, text, payload, raw)
    ON CONFLICT (session_id, seq) DO NOTHING`;
}
