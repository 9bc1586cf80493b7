// ProjectEvent rows the runner writes (activity feed, <recent-events>), and board notifications.
import type { Db } from "@drover/db";
import { CHANNELS, notify } from "@drover/db/notify";

export interface ProjectEventInput {
  projectId: number;
  storyId?: number | null;
  sessionId?: number | null;
  agentName?: string | null;
  kind: string;
  message: string;
  payload?: Record<string, unknown>;
}

type Tx = Pick<Db, "projectEvent">;

export async function logProjectEvent(db: Tx, e: ProjectEventInput): Promise<void> {
  await db.projectEvent.create({
    data: {
      projectId: e.projectId,
      storyId: e.storyId ?? null,
      sessionId: e.sessionId ?? null,
      agentName: e.agentName ?? null,
      kind: e.kind,
      message: e.message,
      payload: (e.payload ?? undefined) as object | undefined,
    },
  });
}

export async function notifyBoard(db: Db, projectId: number, storyId?: number): Promise<void> {
  await notify(db, CHANNELS.board, { projectId, ...(storyId ? { storyId } : {}) }).catch(() => {});
}
