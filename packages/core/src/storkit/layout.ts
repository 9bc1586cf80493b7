// The storkit / story-kit / huskies tree: which folder holds the config and which stage folder
// holds which stories.
import type { StageName } from "../pipeline/stages.ts";

export const TREE_ROOTS = [".storkit", ".story_kit", ".huskies"] as const;

/** Stage folder names as storkit versions wrote them. */
export const STAGE_DIRS: Record<string, StageName> = {
  "1_backlog": "backlog",
  "1_upcoming": "backlog",
  "2_current": "current",
  "3_qa": "qa",
  "4_merge": "merge",
  "5_done": "done",
  "6_archived": "archived",
  "5_archived": "archived",
};

/** The folder Drover writes each stage to on export. */
export const EXPORT_STAGE_DIRS: Record<StageName, string> = {
  backlog: "1_backlog",
  current: "2_current",
  qa: "3_qa",
  merge: "4_merge",
  done: "5_done",
  archived: "6_archived",
};

export function stageForDir(dir: string): StageName | undefined {
  return STAGE_DIRS[dir];
}
