// People's part of the pipeline: approve or reject a story waiting for human QA, and restart a
// stuck story (which resets its retries). Used by the web (pipeline router) and the CLI.
import { z } from "zod";
import { actorLabel, type Actor } from "@drover/core/audit/actor";
import { precondition } from "@drover/core/errors";
import { WORKER_STAGE } from "@drover/core/automation/types";
import type { Db } from "../client.ts";
import type { AgentSession, Story } from "../generated/prisma/client.ts";
import { logProjectEvent } from "./events.ts";
import { startAgent } from "./agents.ts";
import { moveLocked } from "./stories.ts";
import { inTx, lockStory } from "./tx.ts";
import { idSchema, textSchema } from "./validate.ts";

const ref = { projectId: idSchema, storyNumber: idSchema };
export const approveInput = z.object(ref);
export const rejectInput = z.object({ ...ref, notes: textSchema.trim().min(1, { error: "Say what to fix: rejection notes must not be empty" }).max(50_000) });
export const retryInput = z.object({ ...ref, agentName: textSchema.trim().min(1).max(100).optional() });

function assertWaitingForReview(s: Story): void {
  if (s.stage !== "qa" || !s.reviewHold) {
    throw precondition(`Story ${s.number} is not waiting for human review (it is in ${s.stage}${s.reviewHold ? "" : ", no review hold"})`);
  }
}

export async function approveStory(db: Db, input: z.input<typeof approveInput>, actor: Actor): Promise<Story> {
  const i = approveInput.parse(input);
  return inTx(db, async (tx) => {
    const s = await lockStory(tx, i.projectId, i.storyNumber);
    assertWaitingForReview(s);
    await tx.story.update({ where: { id: s.id }, data: { reviewHold: false, retryCount: 0 } });
    const { story } = await moveLocked(tx, { ...s, reviewHold: false }, "merge", actor);
    await logProjectEvent(tx, { projectId: i.projectId, storyId: s.id, kind: "review_approved", message: `Story ${s.number} approved; merging`, actor });
    return story;
  });
}

/** Appends the notes to the story, clears the hold, sends it back to current and restarts its coder with the notes. */
export async function rejectStory(
  db: Db,
  input: z.input<typeof rejectInput>,
  actor: Actor,
): Promise<{ story: Story; session: AgentSession | null; startError?: string }> {
  const i = rejectInput.parse(input);
  const story = await inTx(db, async (tx) => {
    const s = await lockStory(tx, i.projectId, i.storyNumber);
    assertWaitingForReview(s);
    const body = `${s.body.trimEnd()}\n\n## Review notes (rejected by ${actorLabel(actor)}, ${new Date().toISOString()})\n\n${i.notes}\n`;
    await tx.story.update({ where: { id: s.id }, data: { body, reviewHold: false, retryCount: 0 } });
    const moved = await moveLocked(tx, { ...s, body, reviewHold: false }, "current", actor);
    await logProjectEvent(tx, {
      projectId: i.projectId,
      storyId: s.id,
      kind: "review_rejected",
      message: `Story ${s.number} rejected: ${i.notes.slice(0, 300)}`,
      actor,
    });
    return moved.story;
  });
  const lastCoder = await db.agentSession.findFirst({ where: { storyId: story.id, stage: "coder" }, orderBy: { id: "desc" }, include: { agent: true } });
  try {
    const session = await startAgent(
      db,
      {
        projectId: i.projectId,
        storyNumber: i.storyNumber,
        ...(lastCoder?.agent.enabled ? { agentName: lastCoder.agent.name, resumeOfSessionId: lastCoder.id } : {}),
        context: `A reviewer rejected your work on story ${story.number}. Their notes:\n\n${i.notes}\n\nAddress every note, commit, and finish.`,
        trigger: "review_rejected",
      },
      actor,
    );
    return { story, session };
  } catch (err) {
    // The coder is busy elsewhere: auto-assign restarts the story later (the notes are in its body).
    return { story, session: null, startError: (err as Error).message };
  }
}

/** A person's restart: retries reset, block and merge failure cleared, the stage's agent restarted. */
export async function retryStory(db: Db, input: z.input<typeof retryInput>, actor: Actor): Promise<{ story: Story; session: AgentSession | null }> {
  const i = retryInput.parse(input);
  const story = await inTx(db, async (tx) => {
    const s = await lockStory(tx, i.projectId, i.storyNumber);
    const updated = await tx.story.update({ where: { id: s.id }, data: { retryCount: 0, blocked: false, blockedReason: null, mergeFailure: null } });
    await logProjectEvent(tx, {
      projectId: i.projectId,
      storyId: s.id,
      kind: "story_retry",
      message: `Story ${s.number} restarted (retries reset)`,
      actor,
    });
    return updated;
  });
  const stage = WORKER_STAGE[story.stage];
  // In merge, Drover merges by itself (the next automation pass); elsewhere restart the stage's agent.
  if (!stage || stage === "mergemaster") return { story, session: null };
  const last = await db.agentSession.findFirst({ where: { storyId: story.id, stage }, orderBy: { id: "desc" }, include: { agent: true } });
  const agentName = i.agentName ?? (last?.agent.enabled ? last.agent.name : undefined);
  const session = await startAgent(
    db,
    {
      projectId: i.projectId,
      storyNumber: i.storyNumber,
      ...(agentName ? { agentName } : {}),
      ...(last && agentName === last.agent.name ? { resumeOfSessionId: last.id } : {}),
      ...(last?.message ? { context: `Restarted by ${actorLabel(actor)}. The previous run ended with: ${last.message}` } : {}),
      trigger: "user",
    },
    actor,
  );
  return { story, session };
}
