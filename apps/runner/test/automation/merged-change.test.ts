// A story's merged change is stored when it merges, with per-file stats and bounded patches, so it
// stays viewable after teardown deletes the story branch.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { addProject } from "@drover/db/services/projects";
import { createStory } from "@drover/db/services/stories";
import { storedStoryChange } from "@drover/db/services/story-changes";
import { repoAccess } from "@drover/repo";
import { readMergedChange } from "@drover/repo/merged-change";
import { attemptMerge } from "../../src/automation/merge-flow.ts";
import { makeRepo, sh, write } from "./git-fixture.ts";
import { testActor } from "@drover/db/testing/actors";

const log = pino({ level: "silent" });
let t: TestDatabase;
const dirs: string[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const ROSTER = '[[agent]]\nname = "coder-1"\nstage = "coder"\nruntime = "command"\ncommand = ["true"]\n';

/** A repo whose story branch adds, modifies, deletes and renames files (and adds a binary one). */
async function repoWithStoryBranch(branch: string) {
  const repo = await makeRepo({ "a.txt": "one\ntwo\nthree\n", "gone.txt": "bye\n", "old-name.txt": "same\nlines\nhere\n", ".drover/project.toml": ROSTER });
  dirs.push(repo);
  const wt = path.join(repo, ".drover", "worktrees", "story");
  await sh(repo, "worktree", "add", "-q", "-b", branch, wt, "main");
  await write(wt, "a.txt", "one\n2\nthree\nfour\n");
  await write(wt, "new.txt", "n1\nn2\n");
  fs.writeFileSync(path.join(wt, "logo.bin"), Buffer.from([0, 1, 2, 0, 255]));
  await sh(wt, "rm", "-q", "gone.txt");
  await sh(wt, "mv", "old-name.txt", "new-name.txt");
  await sh(wt, "add", "-A");
  await sh(wt, "commit", "-q", "-m", "work");
  return repo;
}

describe("the merged change is stored", () => {
  it("with per-file stats and patches when the story merges, and survives the branch's deletion", async () => {
    const repo = await repoWithStoryBranch("drover/1-keep-it");
    const { project } = await addProject(t.db, { repoPath: repo, name: "changes" }, repoAccess, testActor);
    const s = await createStory(t.db, { projectId: project.id, title: "Keep it", stage: "merge" }, testActor);
    expect(s.number).toBe(1);
    const baseBefore = await sh(repo, "rev-parse", "main");
    expect(await attemptMerge(t.db, project.id, s.id, log)).toBe("done");

    // Teardown deleted the branch: git can no longer show the change from it.
    expect(await sh(repo, "branch", "--list", "drover/*")).toBe("");
    const change = await storedStoryChange(t.db, s.id);
    expect(change).toMatchObject({ commit: await sh(repo, "rev-parse", "main"), baseCommit: baseBefore, baseBranch: "main", truncated: false });
    const byPath = Object.fromEntries(change!.files.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual(["a.txt", "gone.txt", "logo.bin", "new-name.txt", "new.txt"]);
    expect(byPath["a.txt"]).toMatchObject({ status: "modified", additions: 2, deletions: 1, truncated: false });
    expect(byPath["a.txt"]!.patch).toContain("+four");
    expect(byPath["new.txt"]).toMatchObject({ status: "added", additions: 2, deletions: 0 });
    expect(byPath["gone.txt"]).toMatchObject({ status: "deleted", additions: 0, deletions: 1 });
    expect(byPath["new-name.txt"]).toMatchObject({ status: "renamed", additions: 0, deletions: 0 });
    expect(byPath["logo.bin"]).toMatchObject({ status: "added", binary: true, patch: "" });
    expect(change).toMatchObject({ fileCount: 5, additions: 4, deletions: 2 });

    // Stored in the database: readable with the repository gone altogether.
    fs.rmSync(repo, { recursive: true, force: true });
    expect((await storedStoryChange(t.db, s.id))!.files).toHaveLength(5);
  });

  it("keeps every file's stats but cuts patches at the bounds, saying so", async () => {
    const repo = await makeRepo({ "small.txt": "s\n" });
    dirs.push(repo);
    const base = await sh(repo, "rev-parse", "HEAD");
    await write(repo, "big.txt", `${"x".repeat(50)}\n`.repeat(100));
    await write(repo, "small.txt", "s\nt\n");
    await write(repo, "z-late.txt", "late\n");
    await sh(repo, "add", "-A");
    await sh(repo, "commit", "-q", "-m", "big");
    const head = await sh(repo, "rev-parse", "HEAD");

    const whole = await readMergedChange(repo, base, head);
    expect(whole.truncated).toBe(false);
    expect(whole.files.map((f) => [f.path, f.additions, f.truncated])).toEqual([
      ["big.txt", 100, false],
      ["small.txt", 1, false],
      ["z-late.txt", 1, false],
    ]);

    const perFile = await readMergedChange(repo, base, head, { totalPatchChars: 1_000_000, filePatchChars: 500 });
    expect(perFile.truncated).toBe(true);
    expect(perFile.files[0]).toMatchObject({ path: "big.txt", additions: 100, truncated: true });
    expect(perFile.files[0]!.patch.length).toBe(500);
    expect(perFile.files[1]).toMatchObject({ path: "small.txt", truncated: false });

    const total = await readMergedChange(repo, base, head, { totalPatchChars: 2_000, filePatchChars: 100_000 });
    expect(total.truncated).toBe(true);
    // Stats stay whole for files whose patch was cut or left out.
    expect(total.files.map((f) => [f.path, f.additions, f.truncated])).toEqual([
      ["big.txt", 100, true],
      ["small.txt", 1, true],
      ["z-late.txt", 1, true],
    ]);
    expect(total.files[2]!.patch).toBe("");
  });
});
