import { describe, expect, it } from "vitest";
import { splitBody, withCriteria, withDescription } from "../src/stories/body-parts.ts";
import { criteriaProgress, parseCriteria } from "../src/stories/criteria.ts";
import { storyTemplate } from "../src/stories/file.ts";

const STORKIT = [
  "# Story 4: Export CSV",
  "",
  "## User Story",
  "",
  "As a user, I want CSV, so that I can use a spreadsheet.",
  "",
  "## Acceptance Criteria",
  "",
  "- [x] Has a header row",
  "- [ ] Quotes commas",
  "",
  "## Out of Scope",
  "",
  "Excel.",
  "",
].join("\n");

describe("story body parts", () => {
  it("splits off the title heading and the criteria section, so each shows once", () => {
    expect(splitBody(STORKIT)).toEqual({
      description: "## User Story\n\nAs a user, I want CSV, so that I can use a spreadsheet.\n\n## Out of Scope\n\nExcel.",
      criteria: [
        { text: "Has a header row", checked: true },
        { text: "Quotes commas", checked: false },
      ],
      notes: "",
    });
  });

  it("a template's empty criterion is no criterion, and a new story's body has none unless given", () => {
    expect(criteriaProgress("## Acceptance Criteria\n\n- [ ] \n")).toEqual({ done: 0, total: 0 });
    const body = storyTemplate(7, "Plain", "bug");
    expect(body).toBe("# Bug 7: Plain\n");
    expect(parseCriteria(body)).toEqual([]);
    const full = storyTemplate(8, "Full", "story", {
      description: "Why it matters.",
      criteria: [
        { text: "Works", checked: false },
        { text: " ", checked: false },
      ],
    });
    expect(full).toBe("# Story 8: Full\n\nWhy it matters.\n\n## Acceptance Criteria\n\n- [ ] Works\n");
  });

  it("replaces criteria in place (added, edited, reordered, removed), the rest untouched", () => {
    const edited = withCriteria(STORKIT, [
      { text: "Quotes commas and\nnewlines", checked: true },
      { text: "Has a header row", checked: true },
      { text: "UTF-8", checked: false },
    ]);
    expect(edited).toBe(
      STORKIT.replace("- [x] Has a header row\n- [ ] Quotes commas", "- [x] Quotes commas and newlines\n- [x] Has a header row\n- [ ] UTF-8"),
    );
    const none = withCriteria(STORKIT, []);
    expect(parseCriteria(none)).toEqual([]);
    expect(none).not.toContain("Acceptance Criteria");
    expect(none).toContain("## Out of Scope");
    expect(withCriteria("# Story 1: A\n", [{ text: "New", checked: false }])).toBe("# Story 1: A\n\n## Acceptance Criteria\n\n- [ ] New\n");
  });

  it("replaces the description, keeping the heading first and the criteria where they were", () => {
    const { description } = splitBody(STORKIT);
    const edited = withDescription(STORKIT, description.replace("CSV, so", "CSV files, so"));
    expect(edited).toBe(STORKIT.replace("CSV, so", "CSV files, so"));
    // Text after the criteria rewritten: the criteria go last.
    const moved = withDescription(STORKIT, "Just this.");
    expect(moved).toBe("# Story 4: Export CSV\n\nJust this.\n\n## Acceptance Criteria\n\n- [x] Has a header row\n- [ ] Quotes commas\n");
  });
});
