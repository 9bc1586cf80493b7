// The request/answer channel between the web (which has no repository) and runners (which do):
// the web inserts a request and waits for its answer; NOTIFY wakes runners; one that can serve it
// claims it (FOR UPDATE SKIP LOCKED), does the work and writes the answer or the error.
import type { Actor } from "@drover/core/audit/actor";
import { DomainError, type DomainErrorCode, badRequest, precondition } from "@drover/core/errors";
import { parsePayload, SEALED_FIELDS, type RequestAnswers, type RequestKind, type RequestPayload } from "@drover/core/runner-requests/kinds";
import type { Prisma } from "../generated/prisma/client.ts";
import { CHANNELS, notify } from "../notify.ts";
import type { Db } from "../client.ts";
import type { DbOrTx } from "./tx.ts";

export interface AskOptions {
  /** How long the web waits for an answer (default 20 s). */
  timeoutMs?: number;
  pollMs?: number;
}

export interface Decline {
  runnerId: string;
  host: string;
  reason: string;
}

const DEFAULT_TIMEOUT_MS = 20_000;
/** Runners that heartbeat (every 5 s by default) within this are expected to look at a request; one shutting down or gone stops counting soon. */
const ANSWERING_SECS = 15;
const RUNNER_HINT = "start one with `pnpm drover runner` (or `drover up`) on the host that has the repository";

/**
 * Asks a runner that has `repoPath` to do `kind`, and waits for its answer. A runner's error comes
 * back as the same DomainError (code and message); no answer in time is a PRECONDITION_FAILED that
 * says to start a runner; when every live runner looked and cannot serve it, their reasons.
 */
export async function askRunner<K extends RequestKind>(
  db: Db,
  req: { kind: K; payload: RequestPayload<K>; repoPath: string; projectId?: number | null },
  actor: Actor,
  opts: AskOptions = {},
): Promise<RequestAnswers[K]> {
  let payload: RequestPayload<K>;
  try {
    payload = parsePayload(req.kind, req.payload);
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const row = await db.runnerRequest.create({
    data: {
      kind: req.kind,
      payload: payload as Prisma.InputJsonValue,
      repoPath: req.repoPath,
      projectId: req.projectId ?? null,
      requestedBy: actor as unknown as Prisma.InputJsonValue,
    },
  });
  await notify(db, CHANNELS.runnerRequests, { requestId: row.id });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await db.runnerRequest.findUniqueOrThrow({ where: { id: row.id } });
    if (r.status === "answered") return r.answer as unknown as RequestAnswers[K];
    if (r.status === "failed") {
      const code = ((r.answer as { code?: DomainErrorCode } | null)?.code ?? "BAD_REQUEST") as DomainErrorCode;
      throw new DomainError(code, r.error ?? `The runner could not do ${req.kind}`);
    }
    if (r.status === "pending") {
      const declined = r.declined as unknown as Decline[];
      if (declined.length) {
        const live = await db.runner.findMany({
          where: { stoppedAt: null, heartbeatAt: { gt: new Date(Date.now() - ANSWERING_SECS * 1000) } },
          select: { id: true },
        });
        if (live.length && live.every((l) => declined.some((d) => d.runnerId === l.id))) {
          await expire(db, row.id, "every live runner declined");
          throw precondition(`No running runner can reach ${req.repoPath} (${declines(declined)}); ${RUNNER_HINT}.`);
        }
      }
    }
    if (Date.now() >= deadline) {
      const secs = Math.round(timeoutMs / 1000);
      if (r.status === "claimed") {
        throw precondition(`Runner ${r.runnerId} took the request but did not answer within ${secs} s; it may still finish it (see the runner's log).`);
      }
      if (await expire(db, row.id, `no runner answered within ${secs} s`)) {
        const declined = r.declined as unknown as Decline[];
        const why = declined.length ? ` (${declines(declined)})` : "";
        throw precondition(`No runner answered within ${secs} s${why}: ${RUNNER_HINT}.`);
      }
      continue; // claimed just now: read its state once more
    }
    await new Promise((res) => setTimeout(res, opts.pollMs ?? 100));
  }
}

const declines = (ds: Decline[]) => ds.map((d) => `runner ${d.runnerId} on ${d.host}: ${d.reason}`).join("; ");

/** Marks a still-pending request failed so no runner does it after the web gave up (its sealed secrets go with it). */
async function expire(db: DbOrTx, id: number, why: string): Promise<boolean> {
  const n =
    await db.$executeRaw`UPDATE runner_requests SET status = 'failed', error = ${why}, answered_at = now(), payload = payload - ${[...SEALED_FIELDS]}::text[]
    WHERE id = ${id} AND status = 'pending'`;
  return n > 0;
}

export interface PendingRequest {
  id: number;
  kind: string;
  repoPath: string;
  /** The project it is about; null for one that adds a project or reads a repository not yet added. */
  projectId: number | null;
  declined: Decline[];
}

/** The oldest pending requests (for a runner to see which it can serve). */
export async function pendingRequests(db: DbOrTx, limit = 20): Promise<PendingRequest[]> {
  const rows = await db.runnerRequest.findMany({
    where: { status: "pending" },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true, kind: true, repoPath: true, projectId: true, declined: true },
  });
  return rows.map((r) => ({ ...r, declined: r.declined as unknown as Decline[] }));
}

export interface ClaimedRequest {
  id: number;
  kind: string;
  payload: unknown;
  repoPath: string;
  projectId: number | null;
  requestedBy: Actor;
}

/**
 * Claims one of `ids` that is still pending; null when another runner took them all. The claimer
 * gets the whole payload; the row keeps it without its sealed secrets (only the claimer needs them).
 */
export async function claimRequest(db: Db, runnerId: string, ids: number[]): Promise<ClaimedRequest | null> {
  if (!ids.length) return null;
  const rows = await db.$queryRaw<
    Array<{ id: number; kind: string; payload: unknown; repo_path: string; project_id: number | null; requested_by: Actor }>
  >`WITH picked AS (SELECT id, payload FROM runner_requests WHERE status = 'pending' AND id = ANY(${ids}::int[]) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
    UPDATE runner_requests r SET status = 'claimed', runner_id = ${runnerId}, claimed_at = now(), payload = r.payload - ${[...SEALED_FIELDS]}::text[]
    FROM picked WHERE r.id = picked.id
    RETURNING r.id, r.kind, picked.payload, r.repo_path, r.project_id, r.requested_by`;
  const r = rows[0];
  return r ? { id: r.id, kind: r.kind, payload: r.payload, repoPath: r.repo_path, projectId: r.project_id, requestedBy: r.requested_by } : null;
}

/** Records that this runner cannot serve a request (once per runner). */
export async function declineRequest(db: Db, id: number, d: Decline): Promise<void> {
  await db.$executeRaw`UPDATE runner_requests SET declined = declined || ${JSON.stringify([d])}::jsonb
    WHERE id = ${id} AND status = 'pending' AND NOT declined @> ${JSON.stringify([{ runnerId: d.runnerId }])}::jsonb`;
}

/** The claiming runner's answer, or its error (with the DomainError code when it had one). */
export async function finishRequest(
  db: Db,
  id: number,
  runnerId: string,
  result: { answer: unknown } | { error: string; code?: DomainErrorCode },
): Promise<void> {
  const data =
    "answer" in result
      ? { status: "answered", answer: result.answer as Prisma.InputJsonValue }
      : { status: "failed", error: result.error, answer: (result.code ? { code: result.code } : {}) as Prisma.InputJsonValue };
  await db.runnerRequest.updateMany({ where: { id, runnerId, status: "claimed" }, data: { ...data, answeredAt: new Date() } });
}

/** Deletes requests finished (or abandoned) more than a day ago: they are messages, not history. */
export async function pruneRequests(db: DbOrTx): Promise<number> {
  const r = await db.runnerRequest.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - 24 * 3600_000) } } });
  return r.count;
}
