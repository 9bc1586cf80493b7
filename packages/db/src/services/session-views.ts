// What the session page shows: one session, which events its log view lists (with the errors to
// jump to), slices of those events, and the raw log as the runtime printed it.
import { badRequest, notFound } from "@drover/core/errors";
import { ERROR_KINDS, ERROR_TEXT, ERROR_WHEN } from "@drover/core/runtimes/error-events";
import { z } from "zod";
import { Prisma } from "../generated/prisma/client.ts";
import { durationMs } from "./agent-views.ts";
import type { DbOrTx } from "./tx.ts";
import { idSchema, indexSchema, parseInput, textSchema } from "./validate.ts";

export async function sessionView(db: DbOrTx, sessionId: number) {
  const s = await db.agentSession.findUnique({
    where: { id: sessionId },
    include: {
      agent: { select: { id: true, name: true, runtime: true } },
      story: { select: { id: true, number: true, title: true, stage: true } },
      project: { select: { id: true, name: true } },
      resumes: { select: { id: true, status: true, createdAt: true }, orderBy: { createdAt: "desc" } },
    },
  });
  if (!s) throw notFound(`Session ${sessionId} not found`);
  const { prompt: _p, freshPrompt: _f, ...rest } = s;
  return { ...rest, durationMs: durationMs(s) };
}

/** core's isErrorEvent as a WHERE condition on session_events (tests check they agree). */
export function errorEventSql(): Prisma.Sql {
  const always = ERROR_KINDS.map((k) => Prisma.sql`kind = ${k}`);
  // jsonb equality, so the string "false" is not the boolean false (as in isErrorEvent).
  const when = ERROR_WHEN.map((w) => Prisma.sql`(kind = ${w.kind} AND payload -> ${w.field}::text = ${JSON.stringify(w.value)}::jsonb)`);
  // Case-sensitive regex match (~), as the JavaScript pattern is.
  const said = ERROR_TEXT.map((t) => Prisma.sql`(kind = ${t.kind} AND text ~ ${t.sql})`);
  return Prisma.sql`(${Prisma.join([...always, ...when, ...said], " OR ")})`;
}

export const sessionIndexInput = z.object({
  sessionId: idSchema,
  kinds: z.array(textSchema.max(40)).max(20).optional(),
  q: textSchema.max(200).optional(),
});

export type SessionIndex =
  | { mode: "range"; min: number; max: number; errorSeqs: number[]; lastSeq: number }
  | { mode: "list"; seqs: number[]; errorSeqs: number[]; lastSeq: number | null };

/**
 * Which events a session log shows, in order: a contiguous seq range when unfiltered (cheap for
 * 50,000 events), else the matching seqs. errorSeqs feed "jump to next error".
 */
export async function sessionIndex(db: DbOrTx, input: z.input<typeof sessionIndexInput>): Promise<SessionIndex> {
  const i = parseInput(sessionIndexInput, input);
  const filtered = (i.kinds && i.kinds.length > 0) || !!i.q;
  const errorRows = await db.$queryRaw<{ seq: number }[]>`
    SELECT seq FROM session_events WHERE session_id = ${i.sessionId} AND ${errorEventSql()} ORDER BY seq`;
  const errorSeqs = errorRows.map((r) => Number(r.seq));
  if (!filtered) {
    const agg = await db.sessionEvent.aggregate({
      where: { sessionId: i.sessionId },
      _min: { seq: true },
      _max: { seq: true },
      _count: true,
    });
    const min = agg._min.seq,
      max = agg._max.seq;
    if (min === null || max === null) return { mode: "list", seqs: [], errorSeqs, lastSeq: null };
    if (max - min + 1 === agg._count) return { mode: "range", min, max, errorSeqs, lastSeq: max };
  }
  const rows = await db.sessionEvent.findMany({
    where: {
      sessionId: i.sessionId,
      ...(i.kinds?.length ? { kind: { in: i.kinds } } : {}),
      ...(i.q ? { OR: [{ text: { contains: i.q, mode: "insensitive" } }, { raw: { contains: i.q, mode: "insensitive" } }] } : {}),
    },
    orderBy: { seq: "asc" },
    select: { seq: true },
  });
  const last = await db.sessionEvent.findFirst({
    where: { sessionId: i.sessionId },
    orderBy: { seq: "desc" },
    select: { seq: true },
  });
  return { mode: "list", seqs: rows.map((r) => r.seq), errorSeqs, lastSeq: last?.seq ?? null };
}

/** Most events one slice may span. */
const MAX_SLICE = 5000;

export const sessionEventsInput = z.object({ sessionId: idSchema, fromSeq: indexSchema, toSeq: indexSchema, seqs: z.array(indexSchema).max(1000).optional() });

/** One slice of a session log by seq (the virtual list asks for the slices on screen). */
export function sessionEvents(db: DbOrTx, input: z.input<typeof sessionEventsInput>) {
  const i = parseInput(sessionEventsInput, input);
  if (i.toSeq - i.fromSeq > MAX_SLICE) throw badRequest(`Ask for at most ${MAX_SLICE} events at once.`);
  return db.sessionEvent.findMany({
    where: { sessionId: i.sessionId, seq: i.seqs ? { in: i.seqs } : { gte: i.fromSeq, lte: i.toSeq } },
    orderBy: { seq: "asc" },
    select: { seq: true, at: true, kind: true, text: true, payload: true },
  });
}

/**
 * A session's raw log as text lines (the runtime's own line, else Drover's event as JSON), in
 * batches so a 50,000-event log never sits in memory at once. Null when there is no such session.
 */
export async function rawSessionLog(db: DbOrTx, sessionId: number, batch = 2000): Promise<AsyncGenerator<string> | null> {
  const exists = await db.agentSession.findUnique({ where: { id: sessionId }, select: { id: true } });
  if (!exists) return null;
  return (async function* () {
    let after = -1;
    for (;;) {
      const rows = await db.sessionEvent.findMany({
        where: { sessionId, seq: { gt: after } },
        orderBy: { seq: "asc" },
        take: batch,
        select: { seq: true, at: true, kind: true, text: true, payload: true, raw: true },
      });
      if (!rows.length) return;
      after = rows[rows.length - 1]!.seq;
      yield `${rows.map((r) => r.raw ?? JSON.stringify({ seq: r.seq, at: r.at, kind: r.kind, text: r.text, payload: r.payload })).join("\n")}\n`;
    }
  })();
}
