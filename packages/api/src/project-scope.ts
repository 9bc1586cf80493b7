// Which project a call is about, read from its raw input the way the procedures name one
// (projectId, a project name or id, or a story, session or agent id), so the one role check can
// also apply per-project membership to every procedure and subscription.
import type { Db } from "@drover/db";

const positiveInt = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) && v > 0 && v <= 2_147_483_647 ? v : null);

/** The project the input names, or null when it names none (or one that does not exist). */
export async function projectOfInput(db: Db, raw: unknown): Promise<number | null> {
  if (!raw || typeof raw !== "object") return null;
  const input = raw as Record<string, unknown>;
  const projectId = positiveInt(input.projectId);
  if (projectId) return projectId;
  if (typeof input.project === "string" && input.project.length <= 200) {
    // As views.storyAt reads it (storyIdAt): digits are an id, anything else a name.
    const ref = input.project;
    const p = /^\d+$/.test(ref)
      ? await db.project.findUnique({ where: { id: positiveInt(Number(ref)) ?? 0 }, select: { id: true } })
      : await db.project.findUnique({ where: { name: ref }, select: { id: true } });
    return p?.id ?? null;
  }
  const storyId = positiveInt(input.storyId);
  if (storyId) return (await db.story.findUnique({ where: { id: storyId }, select: { projectId: true } }))?.projectId ?? null;
  const sessionId = positiveInt(input.sessionId);
  if (sessionId) return (await db.agentSession.findUnique({ where: { id: sessionId }, select: { projectId: true } }))?.projectId ?? null;
  const agentId = positiveInt(input.agentId);
  if (agentId) return (await db.agent.findUnique({ where: { id: agentId }, select: { projectId: true } }))?.projectId ?? null;
  return null;
}
