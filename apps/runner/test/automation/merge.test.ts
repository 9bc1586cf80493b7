// The git merge against real repositories: squash in a temp worktree, fast-forward or cherry-pick,
// verification from git, conflicts listed, main checkout never moved.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { advanceBase, prepareMerge, sealMergeWorktree, type MergeTarget } from "../../src/automation/merge.ts";
import { commitOnMain, makeRepo, sh, storyBranch, write } from "./git-fixture.ts";

const repos: string[] = [];
afterAll(async () => {
  for (const r of repos) await rm(r, { recursive: true, force: true });
});
async function setup(files: Record<string, string> = { "README.md": "hello\n", "a.txt": "one\ntwo\nthree\n" }) {
  const repo = await makeRepo(files);
  repos.push(repo);
  return repo;
}
const target = (repo: string, over: Partial<MergeTarget> = {}): MergeTarget => ({
  repoPath: repo,
  baseBranch: "main",
  storyBranch: "drover/7-feature",
  storyNumber: 7,
  storyTitle: "Add the feature",
  worktreePath: join(repo, ".drover", "worktrees", "merge-queue-7"),
  ...over,
});

describe("merge", () => {
  it("squashes, fast-forwards the base, records number and title, and keeps main on main", async () => {
    const repo = await setup();
    await storyBranch(repo, "drover/7-feature", { "feature.txt": "feature\n" });
    const before = await sh(repo, "rev-parse", "main");
    const prep = await prepareMerge(target(repo));
    expect(prep.status).toBe("ready");
    // the main checkout is untouched while the merge is prepared
    expect(await sh(repo, "symbolic-ref", "--short", "HEAD")).toBe("main");
    expect(await sh(repo, "rev-parse", "main")).toBe(before);
    const adv = await advanceBase(target(repo));
    expect(adv).toMatchObject({ ok: true, method: "fast-forward" });
    expect(await sh(repo, "log", "-1", "--format=%s", "main")).toBe("Story #7: Add the feature");
    expect(await sh(repo, "rev-list", "--count", `${before}..main`)).toBe("1");
    // the working tree of the main checkout moved with the branch
    expect(await readFile(join(repo, "feature.txt"), "utf8")).toBe("feature\n");
    expect(await sh(repo, "status", "--porcelain")).toBe("");
  });

  it("an empty story branch is refused: a story never reaches done without its code", async () => {
    const repo = await setup();
    await sh(repo, "branch", "drover/7-feature", "main");
    const prep = await prepareMerge(target(repo));
    expect(prep).toMatchObject({ status: "empty" });
    expect(await sh(repo, "branch", "--list", "merge-queue/*")).toBe("");
  });

  it("an already-merged story (no diff) fails verification instead of passing as done", async () => {
    const repo = await setup();
    await storyBranch(repo, "drover/7-feature", { "feature.txt": "x\n" });
    await sh(repo, "merge", "-q", "--ff-only", "drover/7-feature");
    expect(await prepareMerge(target(repo))).toMatchObject({ status: "empty" });
  });

  it("lists conflicts and leaves them in the merge worktree, never on the base", async () => {
    const repo = await setup();
    await storyBranch(repo, "drover/7-feature", { "a.txt": "one\nTWO-story\nthree\n" });
    await commitOnMain(repo, { "a.txt": "one\nTWO-main\nthree\n" });
    const mainBefore = await sh(repo, "rev-parse", "main");
    const prep = await prepareMerge(target(repo));
    expect(prep).toMatchObject({ status: "conflicts", conflicts: ["a.txt"] });
    // a mergemaster that does nothing cannot seal it
    const sealed = await sealMergeWorktree(target(repo));
    expect(sealed).toMatchObject({ ok: false, conflicts: ["a.txt"] });
    expect(await sh(repo, "rev-parse", "main")).toBe(mainBefore);
  });

  it("refuses conflict markers even when the conflict was `git add`ed unresolved", async () => {
    const repo = await setup();
    const wt = target(repo).worktreePath;
    await storyBranch(repo, "drover/7-feature", { "a.txt": "one\nTWO-story\nthree\n" });
    await commitOnMain(repo, { "a.txt": "one\nTWO-main\nthree\n" });
    await prepareMerge(target(repo));
    await sh(wt, "add", "a.txt"); // "resolved" with the markers still in
    const sealed = await sealMergeWorktree(target(repo));
    expect(sealed.ok).toBe(false);
    expect(!sealed.ok && sealed.reason).toContain("conflict markers");
    expect(await readFile(join(repo, "a.txt"), "utf8")).not.toContain("<<<<<<<");
  });

  it("a resolved conflict seals into one commit and lands", async () => {
    const repo = await setup();
    const wt = target(repo).worktreePath;
    await storyBranch(repo, "drover/7-feature", { "a.txt": "one\nTWO-story\nthree\n" });
    await commitOnMain(repo, { "a.txt": "one\nTWO-main\nthree\n" });
    await prepareMerge(target(repo));
    await write(wt, "a.txt", "one\nTWO-both\nthree\n");
    await sh(wt, "add", "a.txt");
    await sh(wt, "commit", "-q", "-m", "resolve"); // a mergemaster may commit, or not
    const sealed = await sealMergeWorktree(target(repo));
    expect(sealed.ok).toBe(true);
    const adv = await advanceBase(target(repo));
    expect(adv.ok).toBe(true);
    expect(await readFile(join(repo, "a.txt"), "utf8")).toBe("one\nTWO-both\nthree\n");
    expect(await sh(repo, "log", "-1", "--format=%s", "main")).toBe("Story #7: Add the feature");
  });

  it("cherry-picks onto a base that moved after the merge worktree was made", async () => {
    const repo = await setup();
    await storyBranch(repo, "drover/7-feature", { "feature.txt": "f\n" });
    expect((await prepareMerge(target(repo))).status).toBe("ready");
    await commitOnMain(repo, { "other.txt": "o\n" }, "someone else");
    const adv = await advanceBase(target(repo));
    expect(adv, JSON.stringify(adv)).toMatchObject({ ok: true, method: "cherry-pick" });
    expect(await sh(repo, "log", "--format=%s", "-2", "main")).toBe("Story #7: Add the feature\nsomeone else");
    expect(await readFile(join(repo, "other.txt"), "utf8")).toBe("o\n");
  });

  it("gates the cherry-picked combination again and leaves the base alone when it fails", async () => {
    const repo = await setup();
    await storyBranch(repo, "drover/7-feature", { "feature.txt": "f\n" });
    expect((await prepareMerge(target(repo))).status).toBe("ready");
    await commitOnMain(repo, { "other.txt": "o\n" }, "someone else");
    const before = await sh(repo, "rev-parse", "main");
    const seen: string[] = [];
    const adv = await advanceBase(target(repo), {
      regate: async (cwd) => {
        // The gate sees both the story's change and what landed on main meanwhile.
        seen.push(await readFile(join(cwd, "feature.txt"), "utf8"), await readFile(join(cwd, "other.txt"), "utf8"));
        return { ok: false, reason: "gates failed on the moved base", text: "script/test: 1 failing" };
      },
    });
    expect(seen).toEqual(["f\n", "o\n"]);
    expect(adv).toMatchObject({ ok: false, gateFailure: "script/test: 1 failing" });
    expect(await sh(repo, "rev-parse", "main")).toBe(before);
    const passing = await advanceBase(target(repo), { regate: async () => ({ ok: true }) });
    expect(passing).toMatchObject({ ok: true });
    expect(await sh(repo, "log", "--format=%s", "-2", "main")).toBe("Story #7: Add the feature\nsomeone else");
  });

  it("puts a main checkout left on a merge-queue branch back on the base", async () => {
    const repo = await setup();
    await storyBranch(repo, "drover/7-feature", { "feature.txt": "f\n" });
    await prepareMerge(target(repo));
    await sh(repo, "switch", "-q", "-c", "merge-queue/99");
    const adv = await advanceBase(target(repo));
    expect(adv.ok).toBe(true);
    expect(await sh(repo, "symbolic-ref", "--short", "HEAD")).toBe("main");
  });

  it("fails verification when the main checkout cannot be on the base", async () => {
    const repo = await setup();
    await storyBranch(repo, "drover/7-feature", { "feature.txt": "f\n" });
    await prepareMerge(target(repo));
    await sh(repo, "switch", "-q", "-c", "side"); // not ours to move
    const adv = await advanceBase(target(repo));
    expect(adv.ok).toBe(false);
    expect(!adv.ok && adv.reason).toContain("main checkout is on side");
  });
});
