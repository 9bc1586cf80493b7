import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { seedDemoProject } from "../../src/demo/seed.ts";

describe("demo project seed", () => {
  let t: TestDatabase;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-demo-"));
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates a labelled demo project with its roster and stories across the stages", async () => {
    const project = await seedDemoProject(t.db, dataDir);
    expect(project).toMatchObject({ name: "demo", isDemo: true, baseBranch: "main", configError: null });
    const agents = await t.db.agent.findMany({ where: { projectId: project!.id }, orderBy: { name: "asc" } });
    expect(agents.map((a) => [a.name, a.stage, a.runtime, a.enabled])).toEqual([
      ["coder-1", "coder", "command", true],
      ["coder-2", "coder", "command", true],
      ["mergemaster", "mergemaster", "command", true],
      ["qa-1", "qa", "command", true],
    ]);
    const stories = await t.db.story.findMany({ where: { projectId: project!.id }, orderBy: { number: "asc" } });
    expect(stories.map((s) => [s.number, s.kind, s.stage])).toEqual([
      [1, "story", "done"],
      [2, "story", "current"],
      [3, "bug", "qa"],
      [4, "story", "backlog"],
      [5, "spike", "backlog"],
    ]);
    expect(stories[2]).toMatchObject({ qa: "human", reviewHold: true });
    expect(stories[1]!.body).toMatch(/## Acceptance Criteria\n\n- \[ \] The greeting uses the visitor's name/);
  });

  it("gives story 3 (waiting for review) real work on its branch and the coder session that made it (issue 18 item 9)", async () => {
    const repo = path.join(dataDir, "demo-repo");
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
    const s3 = await t.db.story.findFirstOrThrow({ where: { number: 3, project: { isDemo: true } }, include: { sessions: true } });
    const branch = `drover/3-${s3.slug}`;
    expect(git("show", "main:site/banner.txt")).toBe("Welcom to the demo site!");
    expect(git("show", `${branch}:site/banner.txt`)).toBe("Welcome to the demo site!");
    expect(git("diff", "--name-only", `main...${branch}`).split("\n")).toEqual(["features/story-3.md", "site/banner.txt"]);
    expect(git("rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
    expect(git("status", "--porcelain")).toBe("");
    expect(s3.sessions).toEqual([expect.objectContaining({ status: "completed", stage: "coder", branch, trigger: "demo_seed", handledAt: expect.any(Date) })]);
  });

  it("ships a demo agent and gate that really work in the repository", () => {
    const repo = path.join(dataDir, "demo-repo");
    const run = (file: string, args: string[]) => execFileSync(file, args, { cwd: repo, encoding: "utf8" });
    const out = run("node", [".drover/demo/agent.mjs", "7", "coder-1"]);
    expect(out).toMatch(/Wrote features\/story-7\.md/);
    expect(run("git", ["log", "-1", "--format=%s"]).trim()).toBe("story 7: implement feature");
    expect(run("git", ["status", "--porcelain"]).trim()).toBe("");
    expect(run(path.join(repo, "script/test"), [])).toMatch(/checked 1 feature file\(s\), 0 with problems/);
    fs.writeFileSync(path.join(repo, "features/bad.md"), "no heading\n");
    expect(() => run(path.join(repo, "script/test"), [])).toThrow(/must start with a "# " heading/);
  });

  it("does nothing once a project exists", async () => {
    expect(await seedDemoProject(t.db, dataDir)).toBeNull();
    expect(await t.db.project.count()).toBe(1);
  });
});
