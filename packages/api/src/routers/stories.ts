// Stories: list by stage, get, create (auto-numbered), update, move, reorder, tick, block, unblock.
import { z } from "zod";
import { idSchema, indexSchema, textSchema } from "@drover/db/services/validate";
import { STAGES } from "@drover/core/pipeline/stages";
import { STORY_KINDS } from "@drover/core/stories/file";
import { QA_MODES } from "@drover/core/config/types";
import { SLUG_PATTERN } from "@drover/core/pipeline/workspace";
import {
  blockStory,
  createStory,
  criteriaOf,
  getStory,
  listStories,
  moveStory,
  reorderStory,
  tickCriterion,
  unblockStory,
  updateStory,
} from "@drover/db/services/index";
import { publicProcedure, router } from "../trpc.ts";

const projectId = idSchema;
const ref = z.object({ projectId, storyNumber: idSchema });
const slug = textSchema.max(60).regex(SLUG_PATTERN, { error: "Slug: lowercase letters, digits and single dashes" });
const agentName = textSchema.trim().min(1).max(100);

export const storiesRouter = router({
  list: publicProcedure.input(z.object({ projectId, stage: z.enum(STAGES).optional() })).query(async ({ ctx, input }) => {
    const stories = await listStories(ctx.db, input.projectId, input.stage);
    return stories.map((s) => ({ ...s, criteria: criteriaOf(s) }));
  }),
  get: publicProcedure.input(ref).query(async ({ ctx, input }) => {
    const s = await getStory(ctx.db, input.projectId, input.storyNumber);
    return { ...s, criteria: criteriaOf(s) };
  }),
  create: publicProcedure
    .input(
      z.object({
        projectId,
        title: textSchema.trim().min(1).max(200),
        kind: z.enum(STORY_KINDS).optional(),
        slug: slug.optional(),
        body: textSchema.max(200_000).optional(),
        stage: z.enum(STAGES).optional(),
        agent: agentName.nullable().optional(),
        qa: z.enum(QA_MODES).nullable().optional(),
        dependsOn: z.array(idSchema).max(100).optional(),
      }),
    )
    .mutation(({ ctx, input }) => createStory(ctx.db, input)),
  update: publicProcedure
    .input(
      ref.extend({
        title: textSchema.trim().min(1).max(200).optional(),
        body: textSchema.max(200_000).optional(),
        kind: z.enum(STORY_KINDS).optional(),
        slug: slug.optional(),
        agent: agentName.nullable().optional(),
        qa: z.enum(QA_MODES).nullable().optional(),
        retryCount: indexSchema.optional(),
        reviewHold: z.boolean().optional(),
        dependsOn: z.array(idSchema).max(100).optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateStory(ctx.db, input)),
  move: publicProcedure
    .input(ref.extend({ to: z.enum(STAGES) }))
    .mutation(async ({ ctx, input }) => (await moveStory(ctx.db, { ...input, by: "user" })).story),
  reorder: publicProcedure.input(ref.extend({ index: indexSchema })).mutation(({ ctx, input }) => reorderStory(ctx.db, input)),
  tick: publicProcedure
    .input(ref.extend({ index: indexSchema, checked: z.boolean() }))
    .mutation(({ ctx, input }) => tickCriterion(ctx.db, input)),
  block: publicProcedure.input(ref.extend({ reason: textSchema.max(2000).optional() })).mutation(({ ctx, input }) => blockStory(ctx.db, input)),
  unblock: publicProcedure.input(ref).mutation(({ ctx, input }) => unblockStory(ctx.db, input)),
});
