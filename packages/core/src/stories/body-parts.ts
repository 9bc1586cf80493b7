// A story body as the parts a person edits: the description (markdown) and the acceptance
// criteria (a list), without the "# Story N: Title" heading (the title is its own field). Edits
// put the parts back where they were, so the rest of the body (and a storkit file) is unchanged.
import { parseCriteria } from "./criteria.ts";

export interface CriterionInput {
  text: string;
  checked: boolean;
}

export interface BodyParts {
  description: string;
  criteria: CriterionInput[];
  /** Lines inside the criteria section that are not criteria (kept as they are). */
  notes: string;
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const SECTION = /^acceptance criteria$/i;
const TITLE = /^#\s+(?:story|bug|spike|refactor)\s+\d+\s*:/i;
const ITEM = /^\s*[-*+]\s+\[[ xX]\]/;

interface Layout {
  lines: string[];
  /** Index of the title heading line, or -1. */
  title: number;
  /** [start, end) of the Acceptance Criteria section (heading included), or null. */
  section: [number, number] | null;
}

function layout(body: string): Layout {
  const lines = body.split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  const title = first >= 0 && TITLE.test(lines[first]!.trim()) ? first : -1;
  let section: [number, number] | null = null;
  for (let i = 0; i < lines.length && !section; i++) {
    const h = HEADING.exec(lines[i]!.trim());
    if (!h || !SECTION.test(h[2]!)) continue;
    const level = h[1]!.length;
    let end = i + 1;
    while (end < lines.length) {
      const n = HEADING.exec(lines[end]!.trim());
      if (n && n[1]!.length <= level) break;
      end++;
    }
    section = [i, end];
  }
  return { lines, title, section };
}

const join = (lines: string[]) => lines.join("\n").replace(/^\n+/, "").trimEnd();

/** Description (without title heading and criteria section), criteria and section notes. */
export function splitBody(body: string): BodyParts {
  const { lines, title, section } = layout(body);
  const keep = lines.filter((_l, i) => i !== title && !(section && i >= section[0] && i < section[1]));
  const inSection = section ? lines.slice(section[0] + 1, section[1]) : [];
  return {
    description: join(keep),
    criteria: parseCriteria(body).map(({ text, checked }) => ({ text, checked })),
    notes: join(inSection.filter((l) => !ITEM.test(l))),
  };
}

/** One criterion per line: its text on one line, empty ones dropped. */
function cleanCriteria(criteria: CriterionInput[]): CriterionInput[] {
  return criteria.map((c) => ({ text: c.text.replace(/\s+/g, " ").trim(), checked: c.checked })).filter((c) => c.text !== "");
}

function sectionText(criteria: CriterionInput[], notes: string): string {
  const items = cleanCriteria(criteria).map((c) => `- [${c.checked ? "x" : " "}] ${c.text}`);
  if (!items.length && !notes) return "";
  return ["## Acceptance Criteria", "", ...items, ...(notes ? ["", notes] : [])].join("\n");
}

/** Blocks joined by one blank line, empty ones skipped, ending in a newline. */
function blocks(...parts: string[]): string {
  return `${parts
    .map((p) => p.trim())
    .filter(Boolean)
    .join("\n\n")}\n`;
}

/** A new story's body: title heading, description, then the criteria (none: no section). */
export function composeBody(heading: string, description: string, criteria: CriterionInput[]): string {
  return blocks(heading, description, sectionText(criteria, ""));
}

/** The body with its criteria replaced, in place (added at the end when it had none; removed when empty). */
export function withCriteria(body: string, criteria: CriterionInput[]): string {
  const { lines, section } = layout(body);
  const notes = splitBody(body).notes;
  const text = sectionText(criteria, notes);
  if (!section) return text ? blocks(body, text) : body;
  return blocks(join(lines.slice(0, section[0])), text, join(lines.slice(section[1])));
}

/**
 * The body with its description replaced; the title heading stays first and the criteria section
 * stays before the text that followed it when that text is still at the end of the description
 * (else it goes last).
 */
export function withDescription(body: string, description: string): string {
  const { lines, title, section } = layout(body);
  const heading = title >= 0 ? lines[title]! : "";
  if (!section) return blocks(heading, description);
  const sectionBody = join(lines.slice(section[0], section[1]));
  const after = join(lines.slice(section[1]));
  const d = description.trimEnd();
  if (after && d.endsWith(after)) return blocks(heading, d.slice(0, d.length - after.length), sectionBody, after);
  return blocks(heading, d, sectionBody);
}
