// Stories: list by stage, get, create (auto-numbered), update, move, reorder, tick, block, unblock.
import { z } from "zod";
import { idSchema, indexSchema, textSchema } from "@drover/db/services/validate";
import { STAGES } from "@drover/core/pipeline/stages";
import {
  blockStory,
  createStory,
  createStoryInput,
  criteriaOf,
  getStory,
  listStories,
  moveStory,
  reorderStory,
  storyEditInput,
  tickCriterion,
  releaseStory,
  unblockStory,
  updateStory,
  answerInput,
  answerQuestion,
} from "@drover/db/services/index";
import { procedure, router } from "../trpc.ts";

const projectId = idSchema;
const ref = z.object({ projectId, storyNumber: idSchema });

export const storiesRouter = router({
  list: procedure
    .meta({ role: "viewer" })
    .input(z.object({ projectId, stage: z.enum(STAGES).optional() }))
    .query(async ({ ctx, input }) => {
      const stories = await listStories(ctx.db, input.projectId, input.stage);
      return stories.map((s) => ({ ...s, criteria: criteriaOf(s) }));
    }),
  get: procedure
    .meta({ role: "viewer" })
    .input(ref)
    .query(async ({ ctx, input }) => {
      const s = await getStory(ctx.db, input.projectId, input.storyNumber);
      return { ...s, criteria: criteriaOf(s) };
    }),
  create: procedure
    .meta({ role: "member" })
    .input(createStoryInput)
    .mutation(({ ctx, input }) => createStory(ctx.db, input, ctx.actor)),
  update: procedure
    .meta({ role: "member" })
    .input(storyEditInput)
    .mutation(({ ctx, input }) => updateStory(ctx.db, input, ctx.actor)),
  move: procedure
    .meta({ role: "member" })
    .input(ref.extend({ to: z.enum(STAGES) }))
    .mutation(async ({ ctx, input }) => (await moveStory(ctx.db, input, ctx.actor)).story),
  reorder: procedure
    .meta({ role: "member" })
    .input(ref.extend({ index: indexSchema }))
    .mutation(({ ctx, input }) => reorderStory(ctx.db, input, ctx.actor)),
  tick: procedure
    .meta({ role: "member" })
    .input(ref.extend({ index: indexSchema, checked: z.boolean() }))
    .mutation(({ ctx, input }) => tickCriterion(ctx.db, input, ctx.actor)),
  block: procedure
    .meta({ role: "member" })
    .input(ref.extend({ reason: textSchema.max(2000).optional() }))
    .mutation(({ ctx, input }) => blockStory(ctx.db, input, ctx.actor)),
  /** Answers an agent's question (MCP ask_human): unblocks the story and resumes the session that asked with the answer. */
  answer: procedure
    .meta({ role: "member" })
    .input(answerInput)
    .mutation(({ ctx, input }) => answerQuestion(ctx.db, input, ctx.actor)),
  unblock: procedure
    .meta({ role: "member" })
    .input(ref)
    .mutation(({ ctx, input }) => unblockStory(ctx.db, input, ctx.actor)),
  /** Releases a story held by a Stop, so auto-assign may pick it up again. */
  release: procedure
    .meta({ role: "member" })
    .input(ref)
    .mutation(({ ctx, input }) => releaseStory(ctx.db, input, ctx.actor)),
});
