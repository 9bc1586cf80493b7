// The inputs that create and edit a story: one set of rules for the service, the API and the web
// form (which checks them before sending). Imports nothing server-side, so the browser can use it.
import { z } from "zod";
import { QA_MODES } from "@drover/core/config/types";
import { STAGES } from "@drover/core/pipeline/stages";
import { STORY_KINDS } from "@drover/core/stories/file";
import { idSchema, indexSchema, textSchema } from "./validate.ts";

const storyNumber = idSchema;
const title = textSchema.trim().min(1, { error: "Title must not be empty" }).max(200, { error: "Title must be at most 200 characters" });
const agentName = textSchema.trim().min(1).max(100).nullable();
/** Checked by the service with assertSlug, whose message says what a slug may hold. */
const slug = textSchema;

export const createStoryInput = z.object({
  projectId: idSchema,
  title,
  kind: z.enum(STORY_KINDS).default("story"),
  slug: slug.optional(),
  body: textSchema.max(200_000).optional(),
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
  body: textSchema.max(200_000).optional(),
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
