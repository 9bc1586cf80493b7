// What people and agents say on a story: comments (the story page and the activity feed), and an
// agent's question to a person, which blocks the story until someone answers; the answer resumes
// the session that asked (startAgent's unblock-and-resume, the same start rules as a person's).
import { z } from "zod";
import { type Actor, actorLabel } from "@drover/core/audit/actor";
import { precondition } from "@drover/core/errors";
import type { Db } from "../client.ts";
import type { AgentSession, Story } from "../generated/prisma/client.ts";
import { startAgent } from "./agents.ts";
import { logProjectEvent } from "./events.ts";
import { blockLocked } from "./stories.ts";
import { inTx, lockStory } from "./tx.ts";
import { idSchema, parseInput, textSchema } from "./validate.ts";

export const TALK_LIMITS = { comment: 10_000, question: 4_000, answer: 20_000 } as const;

const said = (what: string, max: number) =>
  textSchema
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(max, { error: `${what} is too long: at most ${max} characters` });

const ref = { projectId: idSchema, storyNumber: idSchema };
export const commentInput = z.object({ ...ref, text: said("Comment", TALK_LIMITS.comment), sessionId: idSchema.optional() });
export const questionInput = z.object({ ...ref, question: said("Question", TALK_LIMITS.question), sessionId: idSchema });
export const answerInput = z.object({ ...ref, answer: said("Answer", TALK_LIMITS.answer) });

/** A comment on a story, attributed to its actor (a person, or an agent through its MCP tools). */
export async function addComment(db: Db, input: z.input<typeof commentInput>, actor: Actor) {
  const i = parseInput(commentInput, input);
  return inTx(db, async (tx) => {
    const story = await lockStory(tx, i.projectId, i.storyNumber);
    return logProjectEvent(tx, {
      projectId: i.projectId,
      storyId: story.id,
      sessionId: i.sessionId ?? null,
      agentName: actor.kind === "agent" ? actor.agentName : null,
      kind: "comment",
      message: i.text,
      actor,
    });
  });
}

/** An agent asks a person: the story is blocked as "needs input" with the question; the asking session is left to finish. */
export async function askHuman(db: Db, input: z.input<typeof questionInput>, actor: Actor): Promise<Story> {
  const i = parseInput(questionInput, input);
  return inTx(db, async (tx) => {
    const story = await lockStory(tx, i.projectId, i.storyNumber);
    if (story.inputQuestion) throw precondition(`Story ${story.number} already waits for an answer to: ${story.inputQuestion}`);
    return blockLocked(tx, story, { ...i, reason: `Needs input: ${i.question}`, keepSessionId: i.sessionId, question: i.question }, actor);
  });
}

/** The words the resumed agent gets: its question and the answer, and who answered. */
function answerContext(question: string, answer: string, by: string): string {
  return `You asked a person: ${question}\n\n${by} answered:\n\n${answer}\n\nContinue the task with this answer.`;
}

/**
 * A person answers a story's open question: unblocks it and resumes the session that asked with the
 * answer as context, in one step (refused as a whole, the question stays open, when the start rules say no).
 */
export async function answerQuestion(db: Db, input: z.input<typeof answerInput>, actor: Actor): Promise<AgentSession> {
  const i = parseInput(answerInput, input);
  const story = await db.story.findUnique({ where: { projectId_number: { projectId: i.projectId, number: i.storyNumber } } });
  if (!story?.inputQuestion) throw precondition(`Story ${i.storyNumber} has no open question to answer`);
  const session = await startAgent(
    db,
    {
      projectId: i.projectId,
      storyNumber: i.storyNumber,
      ...(story.inputSessionId ? { resumeOfSessionId: story.inputSessionId } : {}),
      context: answerContext(story.inputQuestion, i.answer, actorLabel(actor)),
      unblock: true,
      trigger: "resume",
    },
    actor,
  );
  await logProjectEvent(db, {
    projectId: i.projectId,
    storyId: story.id,
    sessionId: session.id,
    kind: "question_answered",
    message: `Answered "${story.inputQuestion}": ${i.answer}`,
    actor,
  });
  return session;
}
