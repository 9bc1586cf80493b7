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
  /** `<stage folder>/<file name>` as written (export writes the story back under that name and folder naming). */
  storkitName: string;
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
    plan.stories.push({ ...story, stage, file, storkitName: `${f.stageDir}/${f.fileName}` });
  }
  return plan;
}

/** The roster as the repository's files said it: project.toml's text and, when it had one, agents.toml's. */
export interface RosterFiles {
  projectToml: string;
  agentsToml?: string;
}

/**
 * The files of an export, relative to the tree root (.storkit/). A roster that came from files is
 * written back as those files (comments and key order kept); otherwise it is generated.
 */
export function planExport(
  config: ProjectConfig,
  stories: Array<StoryFields & { stage: StageName; storkitName?: string | null }>,
  roster?: RosterFiles | null,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (roster) {
    // A tree that kept its roster in agents.toml alone gets no empty project.toml.
    if (roster.projectToml !== "" || roster.agentsToml === undefined) out["project.toml"] = roster.projectToml;
    if (roster.agentsToml !== undefined) out["agents.toml"] = roster.agentsToml;
  } else {
    out["project.toml"] = `# Exported by Drover\n${toToml(stripUndefined(config))}\n`;
  }
  const dirs = stageDirsOf(stories);
  for (const s of stories) {
    const { fileName, text } = serializeStoryFile({ ...s, storkitName: s.storkitName?.split("/").at(-1) ?? null });
    out[`work/${dirs[s.stage]}/${fileName}`] = text;
  }
  return out;
}

/** Stage folders as the imported tree named them (1_upcoming or 1_backlog ...), else Drover's defaults. */
function stageDirsOf(stories: Array<{ storkitName?: string | null }>): Record<StageName, string> {
  const dirs = { ...EXPORT_STAGE_DIRS };
  for (const s of stories) {
    const dir = s.storkitName?.split("/")[0];
    const stage = dir ? stageForDir(dir) : undefined;
    if (dir && stage) dirs[stage] = dir;
  }
  return dirs;
}

function stripUndefined<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
