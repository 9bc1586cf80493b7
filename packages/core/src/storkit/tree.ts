// Import and export plans for a storkit tree, as pure functions over file contents. The file system
// walking and writing is in @drover/db/services/storkit-io.
import { stringify as toToml } from "smol-toml";
import type { ProjectConfig } from "../config/types.ts";
import type { StageName } from "../pipeline/stages.ts";
import { parseStoryFile, parseStoryFileName, serializeStoryFile, type StoryFields } from "../stories/file.ts";
import { EXPORT_STAGE_DIRS, STAGE_DIRS, stageForDir } from "./layout.ts";

export interface TreeFile {
  /** Stage folder name under work/ (e.g. "1_upcoming"). */
  stageDir: string;
  fileName: string;
  text: string;
}

export interface ImportedStory extends StoryFields {
  stage: StageName;
  /** Path relative to the tree root, for reports. */
  file: string;
}

export interface ImportPlan {
  stories: ImportedStory[];
  skipped: Array<{ file: string; reason: string }>;
}

const STAGE_ORDER = Object.keys(STAGE_DIRS);

/** Parses every story file; unparseable files and duplicate numbers are skipped with the reason. */
export function planImport(files: TreeFile[]): ImportPlan {
  const plan: ImportPlan = { stories: [], skipped: [] };
  const byNumber = new Map<number, string>();
  const sorted = [...files].sort((a, b) => STAGE_ORDER.indexOf(a.stageDir) - STAGE_ORDER.indexOf(b.stageDir) || a.fileName.localeCompare(b.fileName));
  for (const f of sorted) {
    const file = `work/${f.stageDir}/${f.fileName}`;
    const stage = stageForDir(f.stageDir);
    if (!stage) {
      plan.skipped.push({ file, reason: `unknown stage folder ${f.stageDir} (expected one of ${STAGE_ORDER.join(", ")})` });
      continue;
    }
    if (!f.fileName.endsWith(".md")) continue;
    if (!parseStoryFileName(f.fileName)) {
      plan.skipped.push({ file, reason: "file name is not NNN_<story|bug|spike|refactor>_<slug>.md" });
      continue;
    }
    let story: StoryFields;
    try {
      story = parseStoryFile(f.fileName, f.text);
    } catch (err) {
      plan.skipped.push({ file, reason: (err as Error).message.replace(`${f.fileName}: `, "") });
      continue;
    }
    const first = byNumber.get(story.number);
    if (first) {
      plan.skipped.push({ file, reason: `duplicate story number ${story.number} (already imported from ${first})` });
      continue;
    }
    byNumber.set(story.number, file);
    plan.stories.push({ ...story, stage, file });
  }
  return plan;
}

/** The files of an export, relative to the tree root (.storkit/). */
export function planExport(config: ProjectConfig, stories: Array<StoryFields & { stage: StageName }>): Record<string, string> {
  const out: Record<string, string> = {};
  out["project.toml"] = `# Exported by Drover\n${toToml(stripUndefined(config))}\n`;
  for (const s of stories) {
    const { fileName, text } = serializeStoryFile(s);
    out[`work/${EXPORT_STAGE_DIRS[s.stage]}/${fileName}`] = text;
  }
  return out;
}

function stripUndefined<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
