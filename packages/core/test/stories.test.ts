import { describe, expect, it } from "vitest";
import { parseCriteria, tickCriterionInBody } from "../src/stories/criteria.ts";
import { parseStoryFile, retitleBody, serializeStoryFile, storyFileName } from "../src/stories/file.ts";
import { planImport } from "../src/storkit/tree.ts";
import { assertLegalMove, isLegalMove } from "../src/pipeline/stages.ts";
import { buildFirstTurn, recentEventsBlock } from "../src/prompts/first-turn.ts";
import { renderTemplate, unknownTemplateVars } from "../src/prompts/template.ts";

const FILE = `---
name: Wishlist
agent: coder-1
qa: human
retry_count: 2
blocked: true
merge_failure: "CONFLICT in a.rs"
review_hold: true
depends_on: [3, 4]
labels: [ui]
---

# Story 9: Wishlist

## Acceptance Criteria

- [x] heart icon
- [ ] wishlist page
`;

describe("story files", () => {
  it("parses name, kind, slug, front matter and keeps unknown keys", () => {
    const s = parseStoryFile("9_story_wish_list.md", FILE);
    expect(s).toMatchObject({
      number: 9,
      kind: "story",
      slug: "wish-list",
      title: "Wishlist",
      agent: "coder-1",
      qa: "human",
      retryCount: 2,
      blocked: true,
      mergeFailure: "CONFLICT in a.rs",
      reviewHold: true,
      dependsOn: [3, 4],
      extraFrontMatter: { labels: ["ui"] },
      position: null,
    });
    expect(s.body.startsWith("# Story 9: Wishlist\n")).toBe(true);
  });

  it("renames the heading only when it carries the old title", () => {
    expect(retitleBody("# Story 3: Old\n\nOld stays here\n", "Old", "New $1")).toBe("# Story 3: New $1\n\nOld stays here\n");
    expect(retitleBody("# Story 3: Custom\n", "Old", "New")).toBe("# Story 3: Custom\n");
    expect(retitleBody("# Story 3: 3\n", "3", "Three")).toBe("# Story 3: Three\n");
  });

  it("takes the title from the heading when there is no name", () => {
    expect(parseStoryFile("12_bug_x.md", "# Bug 12: Totals are off\n").title).toBe("Totals are off");
  });

  it("round-trips through serialize", () => {
    const s = parseStoryFile("9_story_wish_list.md", FILE);
    const out = serializeStoryFile({ ...s, position: 2.5 });
    expect(out.fileName).toBe("9_story_wish_list.md");
    expect(parseStoryFile(out.fileName, out.text)).toEqual({ ...s, position: 2.5 });
  });

  it("rejects bad names and bad front matter with the file named", () => {
    expect(() => parseStoryFile("notes.md", "x")).toThrow(/notes\.md: not a story file name/);
    expect(() => parseStoryFile("1_story_a.md", "---\nqa: sometimes\n---\n")).toThrow(/1_story_a\.md: front matter qa must be one of server, agent, human/);
    expect(() => parseStoryFile("1_story_a.md", "---\nretry_count: -1\n---\n")).toThrow(/retry_count must be a whole number/);
    expect(() => storyFileName({ number: 1, kind: "story", slug: "../x" })).toThrow(/Invalid slug/);
  });

  it("parses and ticks acceptance criteria only under their heading", () => {
    const body = "## User Story\n- [ ] not this\n## Acceptance Criteria\n- [ ] one\n* [X] two\n## Out of Scope\n- [ ] nor this\n";
    expect(parseCriteria(body)).toEqual([
      { text: "one", checked: false, line: 3 },
      { text: "two", checked: true, line: 4 },
    ]);
    const ticked = tickCriterionInBody(body, 0, true);
    expect(ticked).toContain("- [x] one");
    expect(tickCriterionInBody(ticked, 1, false)).toContain("* [ ] two");
    expect(() => tickCriterionInBody(body, 2, true)).toThrow(/No acceptance criterion #2/);
  });
});

describe("storkit import plan", () => {
  it("maps stage folders and skips bad files and duplicate numbers with reasons", () => {
    const plan = planImport([
      { stageDir: "1_upcoming", fileName: "2_story_b.md", text: "# Story 2: B\n" },
      { stageDir: "5_archived", fileName: "1_story_a.md", text: "# Story 1: A\n" },
      { stageDir: "3_qa", fileName: "2_bug_dup.md", text: "# Bug 2: Dup\n" },
      { stageDir: "7_limbo", fileName: "3_story_c.md", text: "" },
      { stageDir: "2_current", fileName: "4_story_bad.md", text: "---\nblocked: maybe\n---\n" },
    ]);
    expect(plan.stories.map((s) => [s.number, s.stage])).toEqual([
      [2, "backlog"],
      [1, "archived"],
    ]);
    expect(plan.skipped).toEqual([
      { file: "work/7_limbo/3_story_c.md", reason: expect.stringMatching(/^unknown stage folder 7_limbo/) },
      { file: "work/2_current/4_story_bad.md", reason: 'front matter blocked must be true or false (got "maybe")' },
      { file: "work/3_qa/2_bug_dup.md", reason: "duplicate story number 2 (already imported from work/1_upcoming/2_story_b.md)" },
    ]);
  });
});

describe("stages", () => {
  it("allows corrections but reaches done only from merge and leaves archived only to backlog/current", () => {
    expect(isLegalMove("current", "qa")).toBe(true);
    expect(isLegalMove("qa", "current")).toBe(true);
    expect(isLegalMove("merge", "done")).toBe(true);
    expect(isLegalMove("qa", "done")).toBe(false);
    expect(isLegalMove("archived", "qa")).toBe(false);
    expect(isLegalMove("archived", "backlog")).toBe(true);
    expect(() => assertLegalMove(4, "current", "current")).toThrow(/already in current/);
  });
});

describe("prompts", () => {
  const vars = { story_id: "9", story_name: "Wishlist", agent_name: "c1", worktree_path: "/w/9-wishlist", base_branch: "main", branch: "drover/9-wishlist" };
  it("renders every variable and finds unknown ones", () => {
    expect(renderTemplate("{{agent_name}}:{{ story_id }}:{{branch}}:{{base_branch}}:{{worktree_path}}:{{story_name}}", vars)).toBe(
      "c1:9:drover/9-wishlist:main:/w/9-wishlist:Wishlist",
    );
    expect(unknownTemplateVars("{{story_id}} {{nope}} {{nope}} {{x.y}}")).toEqual(["nope", "x.y"]);
  });
  it("prepends recent events to a fresh first turn and sends only what is new when resuming", () => {
    const ev = [{ at: new Date("2026-01-01T00:00:00Z"), kind: "story_moved", message: "moved to qa", agentName: null }];
    expect(recentEventsBlock([])).toBe("");
    const fresh = buildFirstTurn({
      template: "Do {{story_id}}",
      vars,
      story: "# Story 9: Wishlist",
      recentEvents: ev,
      context: "retry: tests failed",
      resuming: false,
    });
    expect(fresh.prompt).toBe(
      "<recent-events>\n- 2026-01-01T00:00:00.000Z [story_moved] moved to qa\n</recent-events>\n\nDo 9\n\n<story>\n# Story 9: Wishlist\n</story>\n\nretry: tests failed",
    );
    expect(fresh.freshPrompt).toBe(fresh.prompt);
    const resumed = buildFirstTurn({ template: "Do {{story_id}}", vars, story: "# Story 9", recentEvents: [], context: "go on", resuming: true });
    expect(resumed.prompt).toBe("go on");
    expect(resumed.freshPrompt).toBe("Do 9\n\n<story>\n# Story 9\n</story>\n\ngo on");
  });
});
