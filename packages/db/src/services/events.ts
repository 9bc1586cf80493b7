// The project activity feed. Every write says who made it (a trigger copies it to the audit
// trail) and notifies the board (on commit when inside a transaction); one that announces
// something writes its notification outbox rows in the same transaction (notifications/outbox.ts).
import type { Actor } from "@drover/core/audit/actor";
import { CHANNELS, notify } from "../notify.ts";
import type { Prisma, ProjectEvent } from "../generated/prisma/client.ts";
import type { Db } from "../client.ts";
import { type DbOrTx, inTx, isTx } from "./tx.ts";
import { actorColumns } from "./actor-columns.ts";
import { mayAnnounce } from "@drover/core/notifications/events";
import { enqueueAnnouncements } from "../notifications/outbox.ts";

export interface ProjectEventInput {
  projectId: number;
  storyId?: number | null;
  sessionId?: number | null;
  agentName?: string | null;
  kind: string;
  message: string;
  payload?: Prisma.InputJsonValue;
  /** Who made the change. */
  actor: Actor;
}

export async function logProjectEvent(tx: DbOrTx, e: ProjectEventInput): Promise<ProjectEvent> {
  // An entry that may announce something is written with its outbox rows in one transaction.
  if (mayAnnounce(e.kind) && !isTx(tx)) return inTx(tx as Db, (t) => logProjectEvent(t, e));
  const row = await tx.projectEvent.create({
    data: {
      projectId: e.projectId,
      storyId: e.storyId ?? null,
      sessionId: e.sessionId ?? null,
      agentName: e.agentName ?? null,
      kind: e.kind,
      message: e.message,
      payload: e.payload,
      ...actorColumns(e.actor),
    },
  });
  if (isTx(tx)) await enqueueAnnouncements(tx, row);
  await notify(tx, CHANNELS.board, { projectId: e.projectId, ...(e.storyId ? { storyId: e.storyId } : {}) });
  return row;
}
