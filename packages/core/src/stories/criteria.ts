// Acceptance criteria: the task items ("- [ ]" / "- [x]") under a heading named "Acceptance Criteria".
// storkit writes it as "## Acceptance Criteria"; a heading of another level is accepted too. The
// section ends at the next heading of the same or a higher level, so sub-headings stay inside it.
// Without that heading a story has no criteria: other checklists in the body are not criteria.
import { badRequest } from "../errors.ts";

export interface Criterion {
  text: string;
  checked: boolean;
  /** Line index in the body. */
  line: number;
}

const SECTION = /^acceptance criteria$/i;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const ITEM = /^(\s*[-*+]\s+\[)([ xX])(\]\s?)(.*)$/;

function criteriaLines(body: string): { lines: string[]; items: Criterion[] } {
  const lines = body.split("\n");
  const items: Criterion[] = [];
  /** Level of the Acceptance Criteria heading we are under, 0 when outside. */
  let level = 0;
  lines.forEach((l, i) => {
    const h = HEADING.exec(l.trim());
    if (h && (level === 0 || h[1]!.length <= level)) level = SECTION.test(h[2]!) ? h[1]!.length : 0;
    else if (level > 0 && !h) {
      const m = ITEM.exec(l);
      // An item with no text (a template's "- [ ] ") is a blank to fill in, not a criterion.
      if (m && m[4]!.trim() !== "") items.push({ text: m[4]!.trim(), checked: m[2] !== " ", line: i });
    }
  });
  return { lines, items };
}

export function parseCriteria(body: string): Criterion[] {
  return criteriaLines(body).items;
}

/** How many criteria there are and how many are checked (the board's "☑ 1/2"). */
export function criteriaProgress(body: string): { done: number; total: number } {
  const items = parseCriteria(body);
  return { done: items.filter((c) => c.checked).length, total: items.length };
}

/** The body with criterion `index` (0-based) ticked or unticked; other lines untouched. */
export function tickCriterionInBody(body: string, index: number, checked: boolean): string {
  const { lines, items } = criteriaLines(body);
  const item = items[index];
  if (!item) throw badRequest(`No acceptance criterion #${index}: the story has ${items.length} (numbered from 0)`);
  lines[item.line] = lines[item.line]!.replace(ITEM, (_w, a: string, _x, b: string, rest: string) => `${a}${checked ? "x" : " "}${b}${rest}`);
  return lines.join("\n");
}
