// The project activity feed. Every write says who made it (a trigger copies it to the audit
// trail) and notifies the board (on commit when inside a transaction).
import type { Actor } from "@drover/core/audit/actor";
import { CHANNELS, notify } from "../notify.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { DbOrTx } from "./tx.ts";
import { actorColumns } from "./actor-columns.ts";

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

export async function logProjectEvent(tx: DbOrTx, e: ProjectEventInput) {
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
  await notify(tx, CHANNELS.board, { projectId: e.projectId, ...(e.storyId ? { storyId: e.storyId } : {}) });
  return row;
}
