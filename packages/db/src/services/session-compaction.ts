// Event retention (event_retention_days): a finished session older than the retention is compacted
// to what a reader still needs (result, errors, status lines, one line per tool call, the last text
// lines) while its full raw log is kept once, gzip-compressed, so the raw download stays identical.
import { projectConfigFrom } from "@drover/core/config/stored-config";
import type { Db } from "../client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { gzipChunks } from "./raw-log-gzip.ts";
import { errorEventSql, rawSessionLog } from "./session-views.ts";
import { inTx, type Tx } from "./tx.ts";

/** Kinds a compacted log keeps whole: how the session went, never the bulk of its output. */
const KEPT_KINDS = ["init", "status", "setup", "gate", "result", "error", "rate_limit"] as const;
/** The last this many `text` events are kept (the agent's closing words). */
export const KEPT_TEXT_LINES = 20;
/** A kept tool call's input is cut to this many characters (one line per call). */
const TOOL_SUMMARY_CHARS = 200;
/** Sessions compacted per housekeeping pass, so one pass never holds the runner up for long. */
export const COMPACT_PER_PASS = 50;

const ENDED = ["completed", "failed", "stopped", "interrupted"] as const;

export interface CompactResult {
  sessionId: number;
  eventsBefore: number;
  eventsKept: number;
  rawBytes: number;
  gzipBytes: number;
}

/**
 * Compacts one finished session in one transaction. Null when there is nothing to do: no such
 * session, still pending or running, or already compacted (so it is safe to run again).
 */
export async function compactSession(db: Db, sessionId: number): Promise<CompactResult | null> {
  return inTx(db, async (tx: Tx) => {
    const locked = await tx.$queryRaw<{ status: string; compacted_at: Date | null }[]>`
      SELECT status::text AS status, compacted_at FROM agent_sessions WHERE id = ${sessionId} FOR UPDATE`;
    const s = locked[0];
    if (!s || s.compacted_at || !(ENDED as readonly string[]).includes(s.status)) return null;
    const lines = await rawSessionLog(tx, sessionId);
    if (!lines) return null;
    const { gzip, bytes } = await gzipChunks(lines);
    const eventsBefore = await tx.sessionEvent.count({ where: { sessionId } });
    await tx.sessionRawLog.create({ data: { sessionId, gzip: new Uint8Array(gzip), bytes: BigInt(bytes) } });
    await tx.$executeRaw`
      DELETE FROM session_events e WHERE e.session_id = ${sessionId}
        AND NOT (e.kind IN (${Prisma.join([...KEPT_KINDS])}) OR e.kind = 'tool_call' OR ${errorEventSql()})
        AND NOT (e.kind = 'text' AND e.seq IN (
          SELECT seq FROM session_events WHERE session_id = ${sessionId} AND kind = 'text' ORDER BY seq DESC LIMIT ${KEPT_TEXT_LINES}))`;
    // A tool call shrinks to its name and the start of its input; the raw lines live in the blob.
    await tx.$executeRaw`
      UPDATE session_events SET payload = jsonb_build_object('id', payload -> 'id', 'name', payload -> 'name',
          'input', left(CASE jsonb_typeof(payload -> 'input') WHEN 'string' THEN payload ->> 'input' ELSE (payload -> 'input')::text END, ${TOOL_SUMMARY_CHARS}::int))
        WHERE session_id = ${sessionId} AND kind = 'tool_call' AND payload IS NOT NULL`;
    await tx.$executeRaw`UPDATE session_events SET raw = NULL WHERE session_id = ${sessionId} AND raw IS NOT NULL`;
    const eventsKept = await tx.sessionEvent.count({ where: { sessionId } });
    await tx.agentSession.update({ where: { id: sessionId }, data: { compactedAt: new Date(), eventsBefore, eventsKept } });
    return { sessionId, eventsBefore, eventsKept, rawBytes: bytes, gzipBytes: gzip.length };
  });
}

/** Finished, not yet compacted sessions of a project that ended before `before`, oldest first. */
async function sessionsToCompact(db: Db, projectId: number, before: Date, limit?: number): Promise<number[]> {
  const rows = await db.agentSession.findMany({
    where: { projectId, compactedAt: null, status: { in: [...ENDED] }, finishedAt: { lt: before } },
    orderBy: { finishedAt: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

export interface CompactOptions {
  /** Overrides the project's event_retention_days (the CLI's --older-than-days); here 0 means every finished session. */
  olderThanDays?: number;
  dryRun?: boolean;
  /** At most this many sessions (the housekeeping pass is bounded). */
  limit?: number;
  now?: Date;
}

export interface ProjectCompaction {
  projectId: number;
  /** The retention applied; 0 means the project keeps events forever and nothing was looked at. */
  days: number;
  sessionIds: number[];
  compacted: CompactResult[];
}

/** Compacts a project's sessions that finished more than its retention ago (dry run: only lists them). */
export async function compactProject(db: Db, projectId: number, opts: CompactOptions = {}): Promise<ProjectCompaction> {
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { config: true } });
  const days = opts.olderThanDays ?? projectConfigFrom(project.config).event_retention_days;
  if (days === 0 && opts.olderThanDays === undefined) return { projectId, days, sessionIds: [], compacted: [] };
  const before = new Date((opts.now ?? new Date()).getTime() - days * 86_400_000);
  const sessionIds = await sessionsToCompact(db, projectId, before, opts.limit);
  const compacted: CompactResult[] = [];
  if (!opts.dryRun)
    for (const id of sessionIds) {
      const r = await compactSession(db, id);
      if (r) compacted.push(r);
    }
  return { projectId, days, sessionIds, compacted };
}
