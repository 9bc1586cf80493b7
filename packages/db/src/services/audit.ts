// The audit trail (audit_events, fed by a trigger on project_events, append-only): filtered
// listing for the API and the command line, and export as CSV or JSON lines.
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { AuditEvent, Prisma } from "../generated/prisma/client.ts";
import type { DbOrTx } from "./tx.ts";
import { idSchema, parseInput, textSchema } from "./validate.ts";

const BIGINT_MAX = 9_223_372_036_854_775_807n;
const ACTOR_KINDS = ["user", "token", "cli", "runner", "agent", "automation", "unknown"] as const;

export const auditFilterInput = z.object({
  /** A person: their user id, or an actor's id or shown name ("Ana", "root@build-1", "auto-assign"). */
  person: textSchema.trim().min(1).max(200).optional(),
  projectId: idSchema.optional(),
  /** Who made it: user, token, cli, runner, automation. */
  actorKind: z.enum(ACTOR_KINDS, { error: `actorKind must be one of ${ACTOR_KINDS.join(", ")}` }).optional(),
  /** What happened: story_moved, review_approved, agent_started ... */
  kind: textSchema.trim().min(1).max(100).optional(),
  since: z.date().optional(),
  until: z.date().optional(),
});
export type AuditFilter = z.input<typeof auditFilterInput>;

export const auditPageInput = auditFilterInput.extend({
  /** The id of the last row already shown: the next page starts below it. */
  cursor: z.bigint().min(1n).max(BIGINT_MAX).nullish(),
  limit: z.number().int().min(1).max(500).default(100),
});

function whereOf(f: z.output<typeof auditFilterInput>): Prisma.AuditEventWhereInput {
  return {
    ...(f.person ? { OR: [{ actorUserId: f.person }, { actorId: f.person }, { actorName: { equals: f.person, mode: "insensitive" } }] } : {}),
    ...(f.projectId ? { projectId: f.projectId } : {}),
    ...(f.actorKind ? { actorKind: f.actorKind } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.since || f.until ? { at: { ...(f.since ? { gte: f.since } : {}), ...(f.until ? { lt: f.until } : {}) } } : {}),
  };
}

/** One page of the trail, newest first. */
export function listAudit(db: DbOrTx, input: z.input<typeof auditPageInput>) {
  const i = parseInput(auditPageInput, input);
  return db.auditEvent.findMany({
    where: { ...whereOf(i), ...(i.cursor ? { id: { lt: i.cursor } } : {}) },
    orderBy: { id: "desc" },
    take: i.limit,
  });
}

export type AuditFormat = "csv" | "jsonl";
export const AUDIT_FORMATS: readonly AuditFormat[] = ["csv", "jsonl"];

const COLUMNS = [
  "id",
  "at",
  "actor_kind",
  "actor_id",
  "actor_user_id",
  "actor_name",
  "project_id",
  "project_name",
  "story_number",
  "session_id",
  "agent_name",
  "kind",
  "message",
  "payload",
] as const;

function record(e: AuditEvent): Record<(typeof COLUMNS)[number], string | number | null | Prisma.JsonValue> {
  return {
    id: e.id.toString(),
    at: e.at.toISOString(),
    actor_kind: e.actorKind,
    actor_id: e.actorId,
    actor_user_id: e.actorUserId,
    actor_name: e.actorName,
    project_id: e.projectId,
    project_name: e.projectName,
    story_number: e.storyNumber,
    session_id: e.sessionId,
    agent_name: e.agentName,
    kind: e.kind,
    message: e.message,
    payload: e.payload,
  };
}

const PAGE = 1000;

/**
 * The filtered trail, oldest first, as chunks of CSV (with a header) or JSON lines. Pages by id,
 * so an export of a long history never holds it all in memory.
 */
export async function* exportAudit(db: DbOrTx, format: AuditFormat, filter: AuditFilter = {}): AsyncGenerator<string> {
  const f = parseInput(auditFilterInput, filter);
  if (!AUDIT_FORMATS.includes(format)) throw new Error(`Unknown audit format "${format}": use csv or jsonl`);
  if (format === "csv") yield stringify([COLUMNS as unknown as string[]]);
  let after = 0n;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { ...whereOf(f), id: { gt: after } }, orderBy: { id: "asc" }, take: PAGE });
    if (!rows.length) return;
    after = rows[rows.length - 1]!.id;
    if (format === "jsonl") yield rows.map((r) => `${JSON.stringify(record(r))}\n`).join("");
    else
      yield stringify(
        rows.map((r) => {
          const rec = record(r);
          return COLUMNS.map((c) => (c === "payload" ? (rec.payload == null ? "" : JSON.stringify(rec.payload)) : (rec[c] ?? "")));
        }),
      );
    if (rows.length < PAGE) return;
  }
}
