// Writes a batch of session events, and the live hint that they are there, in one statement: the
// rows travel as one JSON text parameter through json_to_recordset (one native JSON.stringify per
// batch; per-column pg arrays cost a JavaScript escaping pass per string, and Prisma's createMany a
// parameter per value), and pg_notify in the same statement fires when the rows commit. A batch
// retried after a late commit acknowledgement skips the rows already stored.
import { CHANNELS } from "@drover/db/notify";

export interface EventRow {
  seq: number;
  at: Date;
  kind: string;
  text: string | null;
  payload: unknown;
  raw: string | null;
}

// Postgres text and jsonb cannot hold NUL (JSON.stringify writes it \u0000): an agent printing one
// would make its batch fail forever. Only an escape not itself escaped (odd backslashes) is a NUL.
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

/** The statement as text and parameters (for node-postgres, or Prisma's $executeRawUnsafe). */
export function insertEventsSql(sessionId: number, rows: EventRow[]): { text: string; values: unknown[] } {
  // undefined keys are left out of the JSON, so they arrive as SQL NULL
  const json = JSON.stringify(
    rows.map((r) => ({
      s: r.seq,
      a: r.at.toISOString(),
      k: r.kind,
      t: r.text ?? undefined,
      p: r.payload ?? undefined,
      r: r.raw ?? undefined,
    })),
  );
  const safe = json.includes("\\u0000") ? json.replace(ESCAPED_NUL, "$1\\ufffd") : json;
  const hint = JSON.stringify({ sessionId, lastSeq: rows[rows.length - 1]?.seq });
  return {
    text: `WITH ins AS (
      INSERT INTO session_events (session_id, seq, at, kind, text, payload, raw)
      SELECT $1::int, u.s, u.a, u.k, u.t, u.p, u.r
      FROM json_to_recordset($2::json) AS u(s int, a timestamptz, k text, t text, p jsonb, r text)
      ON CONFLICT (session_id, seq) DO NOTHING
      RETURNING 1)
    SELECT pg_notify($3, $4)`,
    values: [sessionId, safe, CHANNELS.sessionEvents, hint],
  };
}
