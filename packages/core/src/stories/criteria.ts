// Acceptance criteria: the `- [ ]` / `- [x]` lines under "## Acceptance Criteria".
import { badRequest } from "../errors.ts";

export interface Criterion {
  text: string;
  checked: boolean;
  /** Line index in the body. */
  line: number;
}

const HEADING = /^##\s+acceptance criteria\s*$/i;
const ITEM = /^(\s*[-*]\s+\[)([ xX])(\]\s?)(.*)$/;

function criteriaLines(body: string): { lines: string[]; items: Criterion[] } {
  const lines = body.split("\n");
  const items: Criterion[] = [];
  let inside = false;
  lines.forEach((l, i) => {
    if (/^#{1,2}\s/.test(l)) inside = HEADING.test(l.trim());
    else if (inside) {
      const m = ITEM.exec(l);
      if (m) items.push({ text: m[4]!.trim(), checked: m[2] !== " ", line: i });
    }
  });
  return { lines, items };
}

export function parseCriteria(body: string): Criterion[] {
  return criteriaLines(body).items;
}

/** The body with criterion `index` (0-based) ticked or unticked. */
export function tickCriterionInBody(body: string, index: number, checked: boolean): string {
  const { lines, items } = criteriaLines(body);
  const item = items[index];
  if (!item) throw badRequest(`No acceptance criterion #${index}: the story has ${items.length} (numbered from 0)`);
  lines[item.line] = lines[item.line]!.replace(ITEM, (_w, a: string, _x, b: string, rest: string) => `${a}${checked ? "x" : " "}${b}${rest}`);
  return lines.join("\n");
}
