// What the web shows of projects outside the board: the list to pick from, the settings page, and
// the activity feed.
import { notFound } from "@drover/core/errors";
import { z } from "zod";
import type { DbOrTx } from "./tx.ts";
import { redactProject } from "./redact.ts";
import { idSchema, parseInput } from "./validate.ts";

/** Largest value of a Postgres int8 (project_events.id). */
const BIGINT_MAX = 9_223_372_036_854_775_807n;

/** The projects to pick from (no config: it carries env values); archived ones are not on offer. */
export function projectChoices(db: DbOrTx) {
  return db.project.findMany({
    where: { archivedAt: null },
    orderBy: { id: "asc" },
    select: { id: true, name: true, isDemo: true, configError: true, repoPath: true, baseBranch: true },
  });
}

/** A project with its config, env values masked. */
export async function projectSettings(db: DbOrTx, projectId: number) {
  const p = await db.project.findUnique({ where: { id: projectId } });
  if (!p) throw notFound(`Project ${projectId} not found`);
  return redactProject(p);
}

export const activityInput = z.object({
  projectId: idSchema,
  /** The id of the last event already shown: the next page starts below it. */
  cursor: z.bigint().min(1n).max(BIGINT_MAX).nullish(),
  limit: z.number().int().min(1).max(200).default(100),
});

/** A project's events, newest first, one page at a time. */
export function projectActivity(db: DbOrTx, input: z.input<typeof activityInput>) {
  const i = parseInput(activityInput, input);
  return db.projectEvent.findMany({
    where: { projectId: i.projectId, ...(i.cursor ? { id: { lt: i.cursor } } : {}) },
    orderBy: { id: "desc" },
    take: i.limit,
    include: { story: { select: { id: true, number: true, title: true } } },
  });
}
