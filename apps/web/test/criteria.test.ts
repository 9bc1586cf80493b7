import { describe, expect, it } from "vitest";
import { criteriaProgress, parseCriteria, toggleCriterion } from "../src/lib/criteria.ts";

const body = ["# Story", "", "- [x] not a criterion (before the section)", "", "## Acceptance Criteria", "", "- [x] one", "- [ ] two", "* [X] three", "", "## Out of Scope", "", "- [ ] not counted"].join("\n");

describe("acceptance criteria", () => {
  it("counts only the items under the Acceptance Criteria heading", () => {
    expect(parseCriteria(body).map((c) => [c.text, c.done])).toEqual([
      ["one", true],
      ["two", false],
      ["three", true],
    ]);
    expect(criteriaProgress(body)).toEqual({ done: 2, total: 3 });
  });

  it("falls back to every task item when there is no such heading", () => {
    expect(criteriaProgress("- [ ] a\n- [x] b\ntext")).toEqual({ done: 1, total: 2 });
  });

  it("toggles exactly one line", () => {
    const two = parseCriteria(body)[1]!;
    const next = toggleCriterion(body, two.line, true);
    expect(criteriaProgress(next)).toEqual({ done: 3, total: 3 });
    expect(next.split("\n").filter((l, i) => l !== body.split("\n")[i])).toEqual(["- [x] two"]);
    expect(() => toggleCriterion(body, 0, true)).toThrow(/not a task item/);
  });
});
