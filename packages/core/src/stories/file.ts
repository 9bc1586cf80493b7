// One markdown file per story, storkit-compatible: `NNN_<kind>_<slug>.md`, YAML front matter,
// body with "# Story N: Title". Front-matter keys Drover does not model are kept in `extra`.
import matter from "gray-matter";
import { badRequest } from "../errors.ts";
import { QA_MODES, type QaModeName } from "../config/types.ts";
import { assertSlug, slugify } from "../pipeline/workspace.ts";
import { composeBody, type CriterionInput } from "./body-parts.ts";

export const STORY_KINDS = ["story", "bug", "spike", "refactor"] as const;
export type StoryKindName = (typeof STORY_KINDS)[number];

export interface StoryFields {
  number: number;
  kind: StoryKindName;
  slug: string;
  title: string;
  /** Markdown without front matter. */
  body: string;
  agent: string | null;
  qa: QaModeName | null;
  retryCount: number;
  blocked: boolean;
  blockedReason: string | null;
  mergeFailure: string | null;
  reviewHold: boolean;
  dependsOn: number[];
  /** Order within its stage, when it differs from the story number. */
  position: number | null;
  extraFrontMatter: Record<string, unknown>;
}

const FILE_NAME = /^(\d+)_(story|bug|spike|refactor)_(.+)\.md$/;
const TITLE = /^#\s+(?:story|bug|spike|refactor)\s+\d+\s*:\s*(.+?)\s*$/im;
const MODELLED = ["name", "agent", "qa", "retry_count", "blocked", "blocked_reason", "merge_failure", "review_hold", "depends_on", "position"];

export function parseStoryFileName(fileName: string): { number: number; kind: StoryKindName; slug: string } | null {
  const m = FILE_NAME.exec(fileName);
  if (!m) return null;
  return { number: Number(m[1]), kind: m[2] as StoryKindName, slug: slugify(m[3]!) };
}

/** A new story's file name the way storkit writes it: `12_story_export_csv.md` (no padding, underscores). */
export function storyFileName(s: Pick<StoryFields, "number" | "kind" | "slug">): string {
  return `${s.number}_${s.kind}_${assertSlug(s.slug).replace(/-/g, "_")}.md`;
}

/**
 * The name to export a story under: the name its file had when imported (number and slug as
 * written, so a tree moves back and forth with no renames), unless the story's number, kind or
 * slug no longer match it; then the storkit-style name.
 */
function exportFileName(s: Pick<StoryFields, "number" | "kind" | "slug">, importedName?: string | null): string {
  const id = importedName && /^[^/\\.][^/\\]*$/.test(importedName) ? parseStoryFileName(importedName) : null;
  if (id && id.number === s.number && id.kind === s.kind && id.slug === s.slug) return importedName!;
  return storyFileName(s);
}

function bool(v: unknown, key: string, file: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  throw badRequest(`${file}: front matter ${key} must be true or false (got ${JSON.stringify(v)})`);
}

function optText(v: unknown): string | null {
  if (v === undefined || v === null || v === "") return null;
  return typeof v === "string" ? v : String(v);
}

/** Parses a story file. Throws BAD_REQUEST naming the file when it cannot be read as a story. */
export function parseStoryFile(fileName: string, text: string): StoryFields {
  const id = parseStoryFileName(fileName);
  if (!id) throw badRequest(`${fileName}: not a story file name; expected NNN_<story|bug|spike|refactor>_<slug>.md`);
  let parsed: matter.GrayMatterFile<string>;
  try {
    // Passing options disables gray-matter's content cache (it returns shared objects otherwise).
    parsed = matter(text, { language: "yaml" });
  } catch (err) {
    throw badRequest(`${fileName}: front matter is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const fm = (parsed.data ?? {}) as Record<string, unknown>;
  const body = parsed.content.replace(/^\n/, "");
  const title = optText(fm.name) ?? TITLE.exec(body)?.[1] ?? id.slug.replace(/-/g, " ");
  const qa = optText(fm.qa);
  if (qa !== null && !(QA_MODES as readonly string[]).includes(qa)) {
    throw badRequest(`${fileName}: front matter qa must be one of ${QA_MODES.join(", ")} (got ${JSON.stringify(fm.qa)})`);
  }
  const retry = fm.retry_count ?? 0;
  if (typeof retry !== "number" || !Number.isInteger(retry) || retry < 0) {
    throw badRequest(`${fileName}: front matter retry_count must be a whole number of 0 or more (got ${JSON.stringify(retry)})`);
  }
  const deps = fm.depends_on ?? [];
  const dependsOn = (Array.isArray(deps) ? deps : [deps]).map((d) => Number(d));
  if (dependsOn.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw badRequest(`${fileName}: front matter depends_on must list story numbers (got ${JSON.stringify(deps)})`);
  }
  const position = fm.position === undefined ? null : Number(fm.position);
  if (position !== null && !Number.isFinite(position)) throw badRequest(`${fileName}: front matter position must be a number`);
  const extraFrontMatter: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fm)) if (!MODELLED.includes(k)) extraFrontMatter[k] = v;
  return {
    ...id,
    title,
    body,
    agent: optText(fm.agent),
    qa: qa as QaModeName | null,
    retryCount: retry,
    blocked: bool(fm.blocked, "blocked", fileName),
    blockedReason: optText(fm.blocked_reason),
    mergeFailure: optText(fm.merge_failure),
    reviewHold: bool(fm.review_hold, "review_hold", fileName),
    dependsOn,
    position,
    extraFrontMatter: JSON.parse(JSON.stringify(extraFrontMatter)) as Record<string, unknown>,
  };
}

/** Writes a story file; keys at their defaults are left out, as storkit does. */
export function serializeStoryFile(s: StoryFields & { storkitName?: string | null }): { fileName: string; text: string } {
  const fm: Record<string, unknown> = { name: s.title };
  if (s.agent) fm.agent = s.agent;
  if (s.qa) fm.qa = s.qa;
  if (s.retryCount) fm.retry_count = s.retryCount;
  if (s.blocked) fm.blocked = true;
  if (s.blockedReason) fm.blocked_reason = s.blockedReason;
  if (s.mergeFailure) fm.merge_failure = s.mergeFailure;
  if (s.reviewHold) fm.review_hold = true;
  if (s.dependsOn.length) fm.depends_on = s.dependsOn;
  if (s.position !== null && s.position !== s.number) fm.position = s.position;
  Object.assign(fm, s.extraFrontMatter);
  const body = s.body.endsWith("\n") ? s.body : `${s.body}\n`;
  return { fileName: exportFileName(s, s.storkitName), text: matter.stringify(`\n${body}`, fm) };
}

/** A new story's body, in storkit's layout: "# Story N: Title", the description, the criteria (if any). */
export function storyTemplate(
  number: number,
  title: string,
  kind: StoryKindName = "story",
  parts: { description?: string; criteria?: CriterionInput[] } = {},
): string {
  const heading = kind.charAt(0).toUpperCase() + kind.slice(1);
  return composeBody(`# ${heading} ${number}: ${title}`, parts.description ?? "", parts.criteria ?? []);
}

/** The body with its "# Story N: Title" heading renamed, when it carries the old title. */
export function retitleBody(body: string, oldTitle: string, newTitle: string): string {
  return body.replace(TITLE, (line, title: string) => {
    if (title !== oldTitle.trim()) return line;
    const at = line.lastIndexOf(title); // the title ends the line ("# Story 3: 3" must not touch the number)
    return line.slice(0, at) + newTitle.trim() + line.slice(at + title.length);
  });
}
