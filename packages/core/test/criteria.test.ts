// Acceptance criteria as the board, the story page and the pipeline all read them (one parser).
import { describe, expect, it } from "vitest";
import { criteriaProgress, parseCriteria, tickCriterionInBody } from "../src/stories/criteria.ts";

const body = [
  "# Story",
  "",
  "- [x] not a criterion (before the section)",
  "",
  "## Acceptance Criteria",
  "",
  "- [x] one",
  "- [ ] two",
  "* [X] three",
  "",
  "## Out of Scope",
  "",
  "- [ ] not counted",
].join("\n");

describe("acceptance criteria", () => {
  it("counts only the items under the Acceptance Criteria heading", () => {
    expect(parseCriteria(body).map((c) => [c.text, c.checked])).toEqual([
      ["one", true],
      ["two", false],
      ["three", true],
    ]);
    expect(criteriaProgress(body)).toEqual({ done: 2, total: 3 });
  });

  it("finds none when there is no such heading: other checklists are not criteria", () => {
    expect(criteriaProgress("- [ ] a\n- [x] b\ntext")).toEqual({ done: 0, total: 0 });
  });

  it("accepts the heading at any level; the section runs to the next heading of that level or higher", () => {
    const deep = ["# Story", "### Acceptance Criteria", "+ [ ] a", "#### Edge cases", "- [x] b", "### Notes", "- [ ] not counted"].join("\n");
    expect(parseCriteria(deep)).toEqual([
      { text: "a", checked: false, line: 2 },
      { text: "b", checked: true, line: 4 },
    ]);
    expect(parseCriteria("# Acceptance Criteria\n- [ ] top\n## Detail\n- [ ] inside\n# Next\n- [ ] out")).toHaveLength(2);
  });

  it("toggles exactly one line", () => {
    const next = tickCriterionInBody(body, 1, true);
    expect(criteriaProgress(next)).toEqual({ done: 3, total: 3 });
    expect(next.split("\n").filter((l, i) => l !== body.split("\n")[i])).toEqual(["- [x] two"]);
    expect(() => tickCriterionInBody(body, 3, true)).toThrow(/No acceptance criterion #3/);
  });
});
