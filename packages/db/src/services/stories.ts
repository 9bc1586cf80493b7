// Stories: create (atomic numbering), update, move (stopping agents of the old stage), reorder,
// tick criteria, block and unblock. Every write logs a project event and notifies the board.
import { z } from "zod";
import type { Actor } from "@drover/core/audit/actor";
import { badRequest, notFound, precondition } from "@drover/core/errors";
import { agentStageFor, assertLegalMove, STAGES, type StageName } from "@drover/core/pipeline/stages";
import { assertSlug, slugify } from "@drover/core/pipeline/workspace";
import { parseCriteria, tickCriterionInBody } from "@drover/core/stories/criteria";
import { withCriteria, withDescription } from "@drover/core/stories/body-parts";
import { retitleBody, storyTemplate } from "@drover/core/stories/file";
import type { Db } from "../client.ts";
import type { Prisma, Story } from "../generated/prisma/client.ts";
import { logProjectEvent } from "./events.ts";
import { requestStop } from "./sessions.ts";
import { inTx, lockStory, type DbOrTx, type Tx } from "./tx.ts";
import { createStoryInput, updateStoryInput } from "./story-input.ts";
import { indexSchema, parseInput } from "./validate.ts";

export async function getStory(db: DbOrTx, projectId: number, number: number): Promise<Story> {
  const s = await db.story.findUnique({ where: { projectId_number: { projectId, number } } });
  if (!s) throw notFound(`No story ${number} in this project`);
  return s;
}

export function listStories(db: DbOrTx, projectId: number, stage?: StageName) {
  return db.story.findMany({ where: { projectId, ...(stage ? { stage } : {}) }, orderBy: [{ stage: "asc" }, { position: "asc" }, { number: "asc" }] });
}

export function criteriaOf(story: Pick<Story, "body">) {
  return parseCriteria(story.body).map(({ text, checked }) => ({ text, checked }));
}

async function endOfColumn(tx: DbOrTx, projectId: number, stage: StageName): Promise<number> {
  const agg = await tx.story.aggregate({ where: { projectId, stage }, _max: { position: true } });
  return Math.floor(agg._max.position ?? 0) + 1;
}

export async function createStory(db: Db, input: z.input<typeof createStoryInput>, actor: Actor): Promise<Story> {
  const i = parseInput(createStoryInput, input);
  const slug = i.slug !== undefined ? assertSlug(i.slug) : slugify(i.title);
  return inTx(db, async (tx) => {
    // Atomic: concurrent creates never get the same number.
    const rows = await tx.$queryRaw<
      { n: number }[]
    >`UPDATE projects SET next_story_number = next_story_number + 1 WHERE id = ${i.projectId} RETURNING next_story_number - 1 AS n`;
    if (!rows.length) throw notFound(`No project #${i.projectId}`);
    const number = Number(rows[0]!.n);
    const story = await tx.story.create({
      data: {
        projectId: i.projectId,
        number,
        kind: i.kind,
        slug,
        title: i.title,
        body: i.body ?? storyTemplate(number, i.title, i.kind, { description: i.description, criteria: i.criteria }),
        stage: i.stage,
        position: await endOfColumn(tx, i.projectId, i.stage),
        agent: i.agent ?? null,
        qa: i.qa ?? null,
        dependsOn: i.dependsOn,
      },
    });
    await logProjectEvent(tx, { projectId: i.projectId, storyId: story.id, kind: "story_created", message: `Story ${number} created: ${i.title}`, actor });
    return story;
  });
}

export async function updateStory(db: Db, input: z.input<typeof updateStoryInput>, actor: Actor): Promise<Story> {
  const i = parseInput(updateStoryInput, input);
  return inTx(db, async (tx) => {
    const story = await lockStory(tx, i.projectId, i.storyNumber);
    const data: Prisma.StoryUpdateInput = {};
    if (i.body !== undefined && (i.description !== undefined || i.criteria !== undefined)) {
      throw badRequest("Send either a whole body or a description and criteria, not both");
    }
    if (i.title !== undefined) data.title = i.title;
    if (i.body !== undefined) data.body = i.body;
    else {
      let body = story.body;
      // Keep the body's "# Story N: Title" heading in step with a new title.
      if (i.title !== undefined && i.title !== story.title) body = retitleBody(body, story.title, i.title);
      if (i.description !== undefined) body = withDescription(body, i.description);
      if (i.criteria !== undefined) body = withCriteria(body, i.criteria);
      if (body !== story.body) data.body = body;
    }
    if (i.kind !== undefined) data.kind = i.kind;
    if (i.slug !== undefined && i.slug !== story.slug) {
      // The slug names the story's branch and worktree: it is fixed once an agent has used them.
      if (await tx.agentSession.count({ where: { storyId: story.id } })) {
        throw precondition(
          `The slug of story ${story.number} cannot change once an agent has worked on it (its branch is drover/${story.number}-${story.slug})`,
        );
      }
      data.slug = assertSlug(i.slug);
    }
    if (i.agent !== undefined) data.agent = i.agent;
    if (i.qa !== undefined) data.qa = i.qa;
    if (i.retryCount !== undefined) data.retryCount = i.retryCount;
    if (i.reviewHold !== undefined) data.reviewHold = i.reviewHold;
    if (i.dependsOn !== undefined) {
      if (i.dependsOn.includes(story.number)) throw badRequest(`Story ${story.number} cannot depend on itself`);
      data.dependsOn = i.dependsOn;
    }
    if (i.extraFrontMatter !== undefined) data.extraFrontMatter = i.extraFrontMatter as Prisma.InputJsonValue;
    const updated = await tx.story.update({ where: { id: story.id }, data });
    const fields = Object.keys(data);
    await logProjectEvent(tx, {
      projectId: i.projectId,
      storyId: story.id,
      kind: "story_updated",
      message: `Story ${story.number} updated (${fields.join(", ") || "no changes"})`,
      actor,
    });
    return updated;
  });
}

export interface MoveStoryInput {
  projectId: number;
  storyNumber: number;
  to: StageName;
  /** The agent whose own work moved it (its next prompt leaves this move out of its recent events). */
  agentName?: string;
  /** A session that must not be stopped by this move (the pipeline moving its own finished agent's story). */
  keepSessionId?: number;
}

/** Moves a story inside an open transaction (used by startAgent too). */
export async function moveLocked(tx: Tx, story: Story, to: StageName, actor: Actor, opts: { agentName?: string; keepSessionId?: number } = {}) {
  assertLegalMove(story.number, story.stage, to);
  const updated = await tx.story.update({
    where: { id: story.id },
    data: { stage: to, stageChangedAt: new Date(), position: await endOfColumn(tx, story.projectId, to) },
  });
  const oldAgentStage = agentStageFor(story.stage);
  const stopped: number[] = [];
  if (oldAgentStage) {
    const active = await tx.agentSession.findMany({
      where: {
        storyId: story.id,
        stage: oldAgentStage,
        status: { in: ["pending", "running"] },
        ...(opts.keepSessionId ? { id: { not: opts.keepSessionId } } : {}),
      },
    });
    for (const s of active) {
      await requestStop(tx, s, "story_moved", `Story ${story.number} moved from ${story.stage} to ${to}`);
      stopped.push(s.id);
    }
  }
  await logProjectEvent(tx, {
    projectId: story.projectId,
    storyId: story.id,
    agentName: opts.agentName ?? null,
    kind: "story_moved",
    message: `Story ${story.number} moved from ${story.stage} to ${to}`,
    payload: { from: story.stage, to, stoppedSessions: stopped },
    actor,
  });
  return { story: updated, stoppedSessions: stopped };
}

export async function moveStory(db: Db, input: MoveStoryInput, actor: Actor) {
  const to = parseInput(z.enum(STAGES), input.to);
  return inTx(db, async (tx) => {
    const story = await lockStory(tx, input.projectId, input.storyNumber);
    return moveLocked(tx, story, to, actor, input);
  });
}

/** Puts a story at `index` (0-based) in its column; positions are fractional, so one row changes. */
export async function reorderStory(db: Db, input: { projectId: number; storyNumber: number; index: number }, actor: Actor): Promise<Story> {
  const index = parseInput(indexSchema, input.index);
  return inTx(db, async (tx) => {
    const story = await lockStory(tx, input.projectId, input.storyNumber);
    const column = (
      await tx.story.findMany({
        where: { projectId: input.projectId, stage: story.stage, id: { not: story.id } },
        orderBy: [{ position: "asc" }, { number: "asc" }],
        select: { position: true },
      })
    ).map((s) => s.position);
    const at = Math.min(index, column.length);
    const prev = column[at - 1];
    const next = column[at];
    const position = prev === undefined && next === undefined ? 1 : prev === undefined ? next! - 1 : next === undefined ? prev + 1 : (prev + next) / 2;
    const updated = await tx.story.update({ where: { id: story.id }, data: { position } });
    await logProjectEvent(tx, {
      projectId: input.projectId,
      storyId: story.id,
      kind: "story_reordered",
      message: `Story ${story.number} reordered in ${story.stage}`,
      actor,
    });
    return updated;
  });
}

export async function tickCriterion(db: Db, input: { projectId: number; storyNumber: number; index: number; checked: boolean }, actor: Actor): Promise<Story> {
  return inTx(db, async (tx) => {
    const story = await lockStory(tx, input.projectId, input.storyNumber);
    const body = tickCriterionInBody(story.body, input.index, input.checked);
    const updated = await tx.story.update({ where: { id: story.id }, data: { body } });
    const c = parseCriteria(body)[input.index]!;
    await logProjectEvent(tx, {
      projectId: input.projectId,
      storyId: story.id,
      kind: "criterion_ticked",
      message: `Story ${story.number}: ${input.checked ? "checked" : "unchecked"} "${c.text}"`,
      actor,
    });
    return updated;
  });
}

/** Blocking stops every pending or running session on the story; a session ending on a blocked story never moves it. */
export async function blockStory(db: Db, input: BlockInput, actor: Actor): Promise<Story> {
  return inTx(db, async (tx) => blockLocked(tx, await lockStory(tx, input.projectId, input.storyNumber), input, actor));
}

export interface BlockInput {
  projectId: number;
  storyNumber: number;
  reason?: string;
  mergeFailure?: string;
  /** The session that reported the block itself (MCP tools): it is told to finish, not stopped. */
  keepSessionId?: number;
  /** An agent's question to a person (ask_human): kept on the story with the session that asked. */
  question?: string;
}

/** Blocks a locked story (also used by an agent's question, which blocks it while it waits). */
export async function blockLocked(tx: Tx, story: Story, input: BlockInput, actor: Actor): Promise<Story> {
  const active = await tx.agentSession.findMany({
    where: { storyId: story.id, status: { in: ["pending", "running"] }, ...(input.keepSessionId ? { id: { not: input.keepSessionId } } : {}) },
  });
  for (const s of active) await requestStop(tx, s, "story_blocked", `Story ${story.number} blocked${input.reason ? `: ${input.reason}` : ""}`);
  const updated = await tx.story.update({
    where: { id: story.id },
    data: {
      blocked: true,
      blockedReason: input.reason ?? null,
      ...(input.mergeFailure !== undefined ? { mergeFailure: input.mergeFailure } : {}),
      ...(input.question !== undefined ? { inputQuestion: input.question, inputSessionId: input.keepSessionId ?? null } : {}),
    },
  });
  await logProjectEvent(tx, {
    projectId: story.projectId,
    storyId: story.id,
    kind: input.question !== undefined ? "story_needs_input" : "story_blocked",
    message:
      input.question !== undefined
        ? `Story ${story.number} needs input: ${input.question}`
        : `Story ${story.number} blocked${input.reason ? `: ${input.reason}` : ""}`,
    payload: { stoppedSessions: active.map((s) => s.id) },
    actor,
  });
  return updated;
}

/** Unblocking clears the block, any merge failure and an agent's open question, so auto-assign and merging try again. */
export async function unblockStory(db: Db, input: { projectId: number; storyNumber: number }, actor: Actor): Promise<Story> {
  return inTx(db, async (tx) => unblockLocked(tx, await lockStory(tx, input.projectId, input.storyNumber), actor));
}

/** Unblocks a locked story (also used by a start that unblocks and resumes in one step). */
export async function unblockLocked(tx: Tx, story: Story, actor: Actor): Promise<Story> {
  const updated = await tx.story.update({
    where: { id: story.id },
    data: { blocked: false, blockedReason: null, mergeFailure: null, inputQuestion: null, inputSessionId: null },
  });
  await logProjectEvent(tx, { projectId: story.projectId, storyId: story.id, kind: "story_unblocked", message: `Story ${story.number} unblocked`, actor });
  return updated;
}
