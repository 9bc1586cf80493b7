// The inputs that create and edit a story: one set of rules for the service, the API and the web
// form (which checks them before sending). Imports nothing server-side, so the browser can use it.
import { z } from "zod";
import { QA_MODES } from "@drover/core/config/types";
import { STAGES } from "@drover/core/pipeline/stages";
import { STORY_KINDS } from "@drover/core/stories/file";
import { idSchema, indexSchema, textSchema } from "./validate.ts";

const storyNumber = idSchema;
/** The longest title, description and criterion a person may write (the forms' maxLength too). */
export const STORY_LIMITS = { title: 200, description: 100_000, criterion: 500, criteria: 100, body: 200_000 } as const;

// Messages name their field first, so they read as sentences on their own (see describeIssues).
const title = textSchema
  .trim()
  .min(1, { error: "Title must not be empty" })
  .max(STORY_LIMITS.title, { error: `Title is too long: at most ${STORY_LIMITS.title} characters` });
const description = textSchema.max(STORY_LIMITS.description, { error: `Description is too long: at most ${STORY_LIMITS.description} characters` });
const criteria = z
  .array(
    z.object({
      text: textSchema.max(STORY_LIMITS.criterion, { error: `Criteria are at most ${STORY_LIMITS.criterion} characters each` }),
      checked: z.boolean().default(false),
    }),
  )
  .max(STORY_LIMITS.criteria, { error: `Criteria: at most ${STORY_LIMITS.criteria} per story` });
const agentName = textSchema.trim().min(1).max(100).nullable();
/** Checked by the service with assertSlug, whose message says what a slug may hold. */
const slug = textSchema;

export const createStoryInput = z.object({
  projectId: idSchema,
  title,
  kind: z.enum(STORY_KINDS).default("story"),
  slug: slug.optional(),
  body: textSchema.max(STORY_LIMITS.body).optional(),
  /** Used when no body is given: the new body is the title heading, this description and these criteria. */
  description: description.optional(),
  criteria: criteria.optional(),
  stage: z.enum(STAGES).default("backlog"),
  agent: agentName.optional(),
  qa: z.enum(QA_MODES).nullable().optional(),
  dependsOn: z.array(storyNumber).max(100).default([]),
});

/** What a person may change on a story (the API's stories.update; the form edits a part of it). */
export const storyEditInput = z.object({
  projectId: idSchema,
  storyNumber,
  title: title.optional(),
  body: textSchema.max(STORY_LIMITS.body).optional(),
  /** Replaces the body's description (title heading and criteria stay); not with body. */
  description: description.optional(),
  /** Replaces the body's acceptance criteria in place; not with body. */
  criteria: criteria.optional(),
  kind: z.enum(STORY_KINDS).optional(),
  slug: slug.optional(),
  agent: agentName.optional(),
  qa: z.enum(QA_MODES).nullable().optional(),
  retryCount: indexSchema.optional(),
  reviewHold: z.boolean().optional(),
  dependsOn: z.array(storyNumber).max(100).optional(),
});

/** An edit plus what only Drover itself writes (unknown front-matter keys kept from an import). */
export const updateStoryInput = storyEditInput.extend({
  extraFrontMatter: z.record(z.string(), z.unknown()).optional(),
});
