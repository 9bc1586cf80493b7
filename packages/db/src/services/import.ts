// Imported stories (from a storkit tree) into the database: created or updated by number, left
// alone when nothing changed, so importing twice changes nothing.
import type { Actor } from "@drover/core/audit/actor";
import { isDeepStrictEqual } from "node:util";
import type { ImportedStory } from "@drover/core/storkit/tree";
import type { StoryFields } from "@drover/core/stories/file";
import type { StageName } from "@drover/core/pipeline/stages";
import type { Db } from "../client.ts";
import type { Prisma, Story } from "../generated/prisma/client.ts";
import { logProjectEvent } from "./events.ts";
import { inTx } from "./tx.ts";

export interface ImportStoriesResult {
  created: number[];
  updated: number[];
  unchanged: number[];
}

/** The fields a story file and a story row share, besides number, position and extra front matter. */
const SHARED_FIELDS = ["kind", "slug", "title", "body", "stage"] as const;
const FLAG_FIELDS = ["agent", "qa", "retryCount", "blocked", "blockedReason", "mergeFailure", "reviewHold", "dependsOn"] as const;
type SharedField = (typeof SHARED_FIELDS)[number] | (typeof FLAG_FIELDS)[number];

function pick<T extends Pick<ImportedStory, SharedField>, K extends SharedField>(s: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, s[k]])) as Pick<T, K>;
}

function rowData(s: ImportedStory) {
  return {
    ...pick(s, SHARED_FIELDS),
    position: s.position ?? s.number,
    ...pick(s, FLAG_FIELDS),
    extraFrontMatter: s.extraFrontMatter,
    storkitName: s.storkitName,
  };
}

/** A story row as the fields a story file carries (for export, round-trip comparison and status). */
export function storyFieldsOf(s: Story): StoryFields & { stage: StageName } {
  return {
    number: s.number,
    ...pick(s, SHARED_FIELDS),
    position: s.position,
    ...pick(s, FLAG_FIELDS),
    extraFrontMatter: (s.extraFrontMatter ?? {}) as Record<string, unknown>,
  };
}

export async function importStories(db: Db, projectId: number, stories: ImportedStory[], actor: Actor): Promise<ImportStoriesResult> {
  return inTx(db, async (tx) => {
    const res: ImportStoriesResult = { created: [], updated: [], unchanged: [] };
    const existing = new Map((await tx.story.findMany({ where: { projectId } })).map((s) => [s.number, s]));
    for (const s of stories) {
      const data = rowData(s);
      const prev = existing.get(s.number);
      if (!prev) {
        await tx.story.create({ data: { projectId, number: s.number, ...data, extraFrontMatter: data.extraFrontMatter as Prisma.InputJsonValue } });
        res.created.push(s.number);
        continue;
      }
      const { number: _n, ...prevFields } = storyFieldsOf(prev);
      const same = isDeepStrictEqual({ ...prevFields, position: prev.position, storkitName: prev.storkitName }, { ...data });
      if (same) {
        res.unchanged.push(s.number);
        continue;
      }
      await tx.story.update({
        where: { id: prev.id },
        data: { ...data, extraFrontMatter: data.extraFrontMatter as Prisma.InputJsonValue, ...(prev.stage !== s.stage ? { stageChangedAt: new Date() } : {}) },
      });
      res.updated.push(s.number);
    }
    // Numbers taken by imported stories are never handed out again.
    await tx.$executeRaw`UPDATE projects SET next_story_number = GREATEST(next_story_number, COALESCE((SELECT MAX(number) FROM stories WHERE project_id = ${projectId}), 0) + 1) WHERE id = ${projectId}`;
    if (res.created.length || res.updated.length) {
      await logProjectEvent(tx, {
        projectId,
        kind: "stories_imported",
        message: `Imported stories: ${res.created.length} created, ${res.updated.length} updated, ${res.unchanged.length} unchanged`,
        actor,
      });
    }
    return res;
  });
}
