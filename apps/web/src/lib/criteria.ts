// Acceptance criteria are markdown task items ("- [ ] ...", "- [x] ...") in a story body,
// under "## Acceptance Criteria" when that heading exists (storkit's layout), else anywhere.
export interface Criterion {
  text: string;
  done: boolean;
  /** 0-based line index in the body, so a toggle rewrites exactly that line. */
  line: number;
}

const ITEM = /^(\s*[-*+]\s+\[)([ xX])(\]\s+)(.*)$/;
const HEADING = /^#{1,6}\s+(.*)$/;

export function parseCriteria(body: string): Criterion[] {
  const lines = body.split("\n");
  const start = lines.findIndex((l) => /^#{1,6}\s+acceptance criteria\s*$/i.test(l.trim()));
  const out: Criterion[] = [];
  for (let i = start >= 0 ? start + 1 : 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (start >= 0 && HEADING.test(line)) break; // the section ends at the next heading
    const m = ITEM.exec(line);
    if (m) out.push({ text: m[4]!.trim(), done: m[2] !== " ", line: i });
  }
  return out;
}

export function criteriaProgress(body: string): { done: number; total: number } {
  const c = parseCriteria(body);
  return { done: c.filter((x) => x.done).length, total: c.length };
}

/** The body with one criterion checked or unchecked; other lines untouched. */
export function toggleCriterion(body: string, line: number, done: boolean): string {
  const lines = body.split("\n");
  const m = ITEM.exec(lines[line] ?? "");
  if (!m) throw new Error(`line ${line + 1} is not a task item`);
  lines[line] = `${m[1]}${done ? "x" : " "}${m[3]}${m[4]}`;
  return lines.join("\n");
}
