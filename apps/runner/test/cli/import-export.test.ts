// `drover import` / `drover export` / `drover status` as real child processes on the storkit fixture.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storyFieldsOf } from "@drover/db/services/index";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { drover, fixtureRepo, gitInit, repoRoot } from "./helpers.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

async function snapshot(projectId: number) {
  const stories = await t.db.story.findMany({ where: { projectId }, orderBy: { number: "asc" } });
  const agents = await t.db.agent.findMany({ where: { projectId }, orderBy: { name: "asc" } });
  const project = await t.db.project.findUniqueOrThrow({ where: { id: projectId } });
  return {
    stories: stories.map(storyFieldsOf),
    agents: agents.map((a) => ({ name: a.name, stage: a.stage, role: a.role, runtime: a.runtime, model: a.model, config: a.config, enabled: a.enabled })),
    config: project.config,
    next: project.nextStoryNumber,
  };
}

describe("drover import / export", { timeout: 300_000 }, () => {
  let repo: string;
  let projectId: number;

  it("imports the fixture: project, agents, stories in every stage", async () => {
    repo = fixtureRepo();
    const r = await drover(t.url, ["import", repo, "--name", "acme-shop", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const rep = r.json();
    projectId = rep.projectId;
    expect(rep.projectCreated).toBe(true);
    expect(rep.configError).toBeNull();
    expect(rep.skipped).toEqual([]);
    expect(rep.agents.added).toEqual(["coder-1", "coder-2", "coder-opus", "qa", "mergemaster", "docs-writer"]);
    expect(rep.stories.created.sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 5, 7, 8, 9, 12, 14, 15]);

    const s = (await drover(t.url, ["status", "acme-shop", "--json"])).json();
    const p = s.projects[0];
    const byNum = Object.fromEntries(p.stories.map((x: { number: number }) => [x.number, x]));
    expect(Object.fromEntries(p.stories.map((x: { number: number; stage: string }) => [x.number, x.stage]))).toEqual({
      1: "archived",
      2: "archived",
      3: "done",
      5: "done",
      7: "merge",
      8: "qa",
      9: "current",
      12: "current",
      14: "backlog",
      15: "backlog",
    });
    expect(byNum[7]).toMatchObject({
      kind: "refactor",
      slug: "extract-pricing-module",
      blocked: true,
      blockedReason: "merge conflict needs a human",
      mergeFailure: "CONFLICT (content): Merge conflict in server/src/pricing.rs",
      reviewHold: true,
    });
    expect(byNum[9]).toMatchObject({ title: "Wishlist", agent: "coder-1", retryCount: 1 });
    expect(byNum[9].criteria).toEqual([
      { text: "Heart icon on product cards toggles wishlist membership", checked: true },
      { text: "Wishlist page lists saved products with prices", checked: false },
      { text: "Wishlist survives logout and login", checked: false },
    ]);
    expect(byNum[12]).toMatchObject({ kind: "bug", qa: "human" });
    expect(byNum[14]).toMatchObject({ dependsOn: [9], extraFrontMatter: { priority: "low" } });
    expect(byNum[15]).toMatchObject({ kind: "spike", agent: "coder-opus", extraFrontMatter: { labels: ["research", "search"] } });
    expect(p.agents.find((a: { name: string }) => a.name === "docs-writer")).toMatchObject({
      stage: "other",
      runtime: "gemini",
      model: "gemini-2.5-pro",
      busy: null,
    });
    const cfg = (await t.db.project.findUniqueOrThrow({ where: { id: projectId } })).config as Record<string, unknown>;
    expect(cfg).toMatchObject({ max_coders: 2, max_retries: 3, default_coder_model: "sonnet", gates: ["script/test", "script/lint"] });
    // New stories continue after the highest imported number.
    expect((await t.db.project.findUniqueOrThrow({ where: { id: projectId } })).nextStoryNumber).toBe(16);

    const text = await drover(t.url, ["status", "acme-shop"]);
    expect(text.stdout).toMatch(
      /merge:\n\s+7 refactor\s+Extract pricing into its own module\s+\[2\/2\]\s+BLOCKED\(merge conflict needs a human\) merge-failure review-hold/,
    );
  });

  it("is idempotent: importing twice changes nothing", async () => {
    const before = await snapshot(projectId);
    const updatedAt = (await t.db.story.findMany({ where: { projectId }, orderBy: { id: "asc" } })).map((s) => s.updatedAt.getTime());
    const events = await t.db.projectEvent.count({ where: { projectId } });
    const r = (await drover(t.url, ["import", repo, "--json"])).json();
    expect(await t.db.projectEvent.count({ where: { projectId } })).toBe(events);
    expect(r.projectCreated).toBe(false);
    expect(r.stories.created).toEqual([]);
    expect(r.stories.updated).toEqual([]);
    expect(r.stories.unchanged).toHaveLength(10);
    expect(r.agents).toEqual({ added: [], updated: [], disabled: [] });
    expect(await snapshot(projectId)).toEqual(before);
    expect((await t.db.story.findMany({ where: { projectId }, orderBy: { id: "asc" } })).map((s) => s.updatedAt.getTime())).toEqual(updatedAt);
  });

  it("exports under the names storkit gave the files, with the roster files as written (issue 18 item 8)", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "drover-export-names-"));
    const e = await drover(t.url, ["export", "acme-shop", out]);
    expect(e.stderr).toBe("");
    const tree = (root: string) => (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile()).sort();
    const fixture = path.join(repo, ".storkit");
    // Every story file keeps its name byte for byte (number unpadded, the slug's underscores kept) ...
    expect(tree(path.join(out, ".storkit"))).toEqual(tree(fixture));
    // ... and the roster files come back with their comments and key order.
    for (const f of ["project.toml", "agents.toml"]) {
      expect(fs.readFileSync(path.join(out, ".storkit", f), "utf8"), f).toBe(fs.readFileSync(path.join(fixture, f), "utf8"));
    }
    // A story written in Drover is named the way storkit names one (in the tree's own backlog folder).
    const created = await t.db.story.create({
      data: { projectId, number: 16, kind: "bug", slug: "export-csv-totals", title: "Export CSV totals", body: "# Bug 16: Export CSV totals\n" },
    });
    try {
      const out2 = fs.mkdtempSync(path.join(os.tmpdir(), "drover-export-names-"));
      expect((await drover(t.url, ["export", "acme-shop", out2])).stderr).toBe("");
      expect(tree(path.join(out2, ".storkit/work/1_upcoming"))).toEqual([
        "14_story_wishlist_sharing.md",
        "15_spike_search_engine.md",
        "16_bug_export_csv_totals.md",
      ]);
    } finally {
      await t.db.story.delete({ where: { id: created.id } });
    }
  });

  it("round-trips: an import of an export reproduces every story field, agent and config", async () => {
    // Make positions and fields non-trivial first.
    await t.db.story.update({ where: { projectId_number: { projectId, number: 12 } }, data: { position: 3.5 } });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "drover-export-"));
    const e = await drover(t.url, ["export", "acme-shop", out]);
    expect(e.stderr).toBe("");
    expect(e.stdout).toMatch(/Exported 10 stories of acme-shop/);
    expect(fs.readdirSync(path.join(out, ".storkit/work")).sort()).toEqual(["1_upcoming", "2_current", "3_qa", "4_merge", "5_done", "6_archived"]);
    expect(fs.existsSync(path.join(out, ".storkit/work/4_merge/7_refactor_extract_pricing_module.md"))).toBe(true);
    // Refuses to overwrite without --force.
    const again = await drover(t.url, ["export", "acme-shop", out]);
    expect(again.stderr).toMatch(/already exists; export into an empty folder, or pass --force/);
    expect(again.code, again.stdout + again.stderr).toBe(2);

    gitInit(out);
    const r = (await drover(t.url, ["import", out, "--name", "acme-copy", "--json"])).json();
    expect(r.skipped).toEqual([]);
    expect(r.warnings).toEqual([]);
    const [a, b] = [await snapshot(projectId), await snapshot(r.projectId)];
    expect(b.stories).toEqual(a.stories);
    expect(b.agents).toEqual(a.agents);
    expect(b.config).toEqual(a.config);
    expect(b.next).toBe(a.next);

    // And the copy exports to the very same files.
    const out2 = fs.mkdtempSync(path.join(os.tmpdir(), "drover-export-"));
    await drover(t.url, ["export", "acme-copy", out2]);
    const files = (d: string) =>
      (fs.readdirSync(d, { recursive: true }) as string[])
        .sort()
        .map((f) => [f, fs.statSync(path.join(d, f)).isFile() ? fs.readFileSync(path.join(d, f), "utf8") : null]);
    expect(files(path.join(out2, ".storkit"))).toEqual(files(path.join(out, ".storkit")));
  });

  it("reports what it skipped and why, and imports the rest", async () => {
    const dir = fixtureRepo();
    fs.writeFileSync(path.join(dir, ".storkit/work/2_current/20_story_broken.md"), "---\nname: [unclosed\n---\n# Story 20: Broken\n");
    fs.writeFileSync(path.join(dir, ".storkit/work/3_qa/9_story_wishlist_again.md"), "---\nname: Duplicate\n---\n# Story 9: Duplicate\n");
    fs.writeFileSync(path.join(dir, ".storkit/work/2_current/notes.md"), "scratch\n");
    const r = (await drover(t.url, ["import", dir, "--name", "with-skips", "--json"])).json();
    expect(r.skipped).toEqual([
      { file: ".storkit/work/2_current/20_story_broken.md", reason: expect.stringMatching(/front matter is not valid YAML/) },
      { file: ".storkit/work/2_current/notes.md", reason: "file name is not NNN_<story|bug|spike|refactor>_<slug>.md" },
      { file: ".storkit/work/3_qa/9_story_wishlist_again.md", reason: "duplicate story number 9 (already imported from work/2_current/9_story_wishlist.md)" },
    ]);
    expect(r.stories.created).toHaveLength(10);
    const text = await drover(t.url, ["import", dir]);
    expect(text.stdout).toMatch(/Skipped \.storkit\/work\/3_qa\/9_story_wishlist_again\.md: duplicate story number 9/);
  });

  it("reads a .story_kit tree with 1_backlog / 5_archived folders and a legacy [agent] table", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-storykit-"));
    const root = path.join(dir, ".story_kit");
    fs.mkdirSync(path.join(root, "work/1_backlog"), { recursive: true });
    fs.mkdirSync(path.join(root, "work/5_archived"), { recursive: true });
    fs.writeFileSync(path.join(root, "project.toml"), `[agent]\nname = "solo"\nstage = "coder"\n`);
    fs.writeFileSync(path.join(root, "work/1_backlog/2_story_next_thing.md"), "---\nname: Next thing\n---\n# Story 2: Next thing\n");
    fs.writeFileSync(path.join(root, "work/5_archived/1_story_first_thing.md"), "# Story 1: First thing\n");
    gitInit(dir);
    const r = (await drover(t.url, ["import", dir, "--json"])).json();
    expect(r.warnings.join("\n")).toMatch(/legacy form; wrapped into the roster/);
    expect(r.agents.added).toEqual(["solo"]);
    const s = (await drover(t.url, ["status", String(r.projectId), "--json"])).json();
    expect(s.projects[0].stories.map((x: { number: number; stage: string; title: string }) => [x.number, x.stage, x.title])).toEqual([
      [1, "archived", "First thing"],
      [2, "backlog", "Next thing"],
    ]);
  });

  it("resolves a relative path against the shell's folder (the service itself takes absolute paths only)", async () => {
    const dir = fixtureRepo();
    const r = await drover(t.url, ["import", path.relative(repoRoot, dir), "--name", "relative-import", "--json"]); // drover runs in repoRoot
    expect(r.stderr).toBe("");
    expect(r.json()).toMatchObject({ projectName: "relative-import", projectCreated: true });
    expect((await t.db.project.findUniqueOrThrow({ where: { name: "relative-import" } })).repoPath).toBe(dir);
  });
});
