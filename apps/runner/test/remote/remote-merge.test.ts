// Merging a remote project's story: two hosts (two clones, two data folders) and one bare remote.
// The coder's branch is pushed from host A, the merge runs on host B against the remote: the base
// moves only by a push the remote accepts, never forced; a moved base is fetched and replayed with
// the gates run again; a refusing remote keeps the story out of done with its reason on the board.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { addRemoteProject, createStory } from "@drover/db/services/index";
import { testActor } from "@drover/db/testing/actors";
import type { Project, Story } from "@drover/db";
import { attemptMerge, REMOTE_PUSH_TRIES } from "../../src/automation/merge-flow.ts";
import { sealMergeWorktree } from "../../src/automation/merge.ts";
import { mergeTargetFor } from "../../src/automation/target.ts";
import { ProjectRepos, type RemoteSide } from "../../src/runner/project-repos.ts";
import { ensureWorktree } from "../../src/runner/worktree.ts";
import { gitSync, makeRemote, pushFromOther, refusePushesTo, remoteHeadOf, type TestRemote } from "./remote-fixture.ts";
import { AUTOMATION } from "../../src/automation/actors.ts";

const log = pino({ level: "silent" });
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

const roster = (gate: string) => `gates = [${JSON.stringify(gate)}]

[[agent]]
name = "coder-1"
stage = "coder"
runtime = "command"
command = ["true"]

[[agent]]
name = "merger"
stage = "mergemaster"
runtime = "command"
command = ["true"]
`;

const host = () => new ProjectRepos(path.join(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-host-"))), "clones"), t.db, process.env);

/** Host A does a coder's work on the story branch in its own clone and pushes it, as a session end does. */
async function coderOnHostA(a: ProjectRepos, p: Project, branch: string, files: Record<string, string>): Promise<void> {
  await a.sync(p, branch);
  const clone = a.path(p);
  const wt = await ensureWorktree({
    repoPath: clone,
    root: path.join(clone, ".drover", "worktrees"),
    path: path.join(clone, ".drover", "worktrees", branch.replace("drover/", "")),
    branch,
    baseBranch: p.baseBranch,
  });
  for (const [k, v] of Object.entries(files)) fs.writeFileSync(path.join(wt.path, k), v);
  gitSync(wt.path, "add", "-A");
  gitSync(wt.path, "-c", "user.name=Coder", "-c", "user.email=c@e", "commit", "-q", "-m", `work on ${branch}`);
  expect(await a.pushBranch(p, branch)).toEqual({ ok: true });
}

async function remoteProject(name: string, gate = "sh -c 'test -f README.md'"): Promise<{ r: TestRemote; p: Project; a: ProjectRepos; b: ProjectRepos }> {
  const r = makeRemote({ "README.md": "hello\n" }, roster(gate));
  let p = await addRemoteProject(t.db, { remoteUrl: r.url, baseBranch: "main", name }, testActor);
  const a = host();
  const b = host();
  await b.syncConfig(p, AUTOMATION.configSync); // the roster comes from the remote base, through a runner
  p = await t.db.project.findUniqueOrThrow({ where: { id: p.id } });
  return { r, p, a, b };
}

/** Host B's repos, with `beforePush` run before each of its pushes to the remote base (another host landing first). */
function withRaceBeforePush(b: ProjectRepos, beforePush: (n: number) => void): ProjectRepos {
  const side = b.remoteSide.bind(b);
  let n = 0;
  b.remoteSide = (p) => {
    const s = side(p) as RemoteSide;
    return {
      ...s,
      publish: async (c) => {
        beforePush(++n);
        return s.publish(c);
      },
    };
  };
  return b;
}

/**
 * Someone else changes README.md on the base, host A's merge conflicts with the story's README.md
 * and hands off; the mergemaster's work on host A, as its session does it: resolve, seal, push the
 * merge branch, complete.
 */
async function conflictResolvedOnHostA(r: TestRemote, p: Project, s: Story, a: ProjectRepos, resolution: string): Promise<void> {
  pushFromOther(r, "main", { "README.md": "their version\n" }, "conflicting change");
  expect(await attemptMerge(t.db, p.id, s.id, log, a)).toBe("mergemaster");
  const target = await mergeTargetFor(t.db, s, p, a);
  fs.writeFileSync(path.join(target.worktreePath, "README.md"), resolution);
  gitSync(target.worktreePath, "add", "-A");
  expect((await sealMergeWorktree(target)).ok).toBe(true);
  expect(await a.pushBranch(p, `merge-queue/${s.number}`)).toEqual({ ok: true });
  await t.db.agentSession.updateMany({ where: { storyId: s.id, stage: "mergemaster" }, data: { status: "completed" } });
}

describe("a remote project's merge", () => {
  it("reads the roster from the remote base; coder on host A, merge on host B: the remote base holds the change, the story is done", async () => {
    const { r, p, a, b } = await remoteProject("two-hosts");
    expect(p.configCommit).toBe(remoteHeadOf(r, "main"));
    expect(p.configError).toBeNull();
    expect((await t.db.agent.findMany({ where: { projectId: p.id } })).map((x) => x.name).sort()).toEqual(["coder-1", "merger"]);

    const s = await createStory(t.db, { projectId: p.id, title: "Add cart", stage: "merge" }, testActor);
    const branch = `drover/${s.number}-add-cart`;
    await coderOnHostA(a, p, branch, { "cart.txt": "cart\n" });
    const before = remoteHeadOf(r, "main");
    expect(await attemptMerge(t.db, p.id, s.id, log, b)).toBe("done");

    const after = remoteHeadOf(r, "main");
    expect(gitSync(r.bare, "show", `${after}:cart.txt`)).toBe("cart");
    expect(gitSync(r.bare, "rev-parse", `${after}^`)).toBe(before); // one squashed commit on the old base
    const story = await t.db.story.findUniqueOrThrow({ where: { id: s.id } });
    expect(story).toMatchObject({ stage: "done", mergeCommit: after, mergeFailure: null });
    // The story branch is gone from the remote after the merge; host A's clone never held the merge.
    expect(gitSync(r.bare, "branch", "--list", "drover/*")).toBe("");
    expect(gitSync(a.path(p), "rev-parse", "main")).toBe(before);
  });

  it("a host with no git identity of its own squashes onto a base that moved since the story branched (three-way)", async () => {
    const { r, p, a, b } = await remoteProject("no-identity");
    const s = await createStory(t.db, { projectId: p.id, title: "Anon", stage: "merge" }, testActor);
    await coderOnHostA(a, p, `drover/${s.number}-anon`, { "anon.txt": "anon\n" });
    pushFromOther(r, "main", { "meanwhile.txt": "m\n" }, "meanwhile");
    const home = process.env.HOME;
    process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "drover-empty-home-")); // no ~/.gitconfig: no user.email
    try {
      expect(await attemptMerge(t.db, p.id, s.id, log, b)).toBe("done");
    } finally {
      process.env.HOME = home;
    }
    const head = remoteHeadOf(r, "main");
    expect(gitSync(r.bare, "show", `${head}:anon.txt`)).toBe("anon");
    expect(gitSync(r.bare, "show", `${head}:meanwhile.txt`)).toBe("m");
  });

  it("the base moved between fetch and push: fetched, replayed and gated again on the combined tree; both land, nothing forced", async () => {
    const { r, p, a, b } = await remoteProject("moved-base");
    const s = await createStory(t.db, { projectId: p.id, title: "Mine", stage: "merge" }, testActor);
    await coderOnHostA(a, p, `drover/${s.number}-mine`, { "mine.txt": "mine\n" });
    let theirs = "";
    withRaceBeforePush(b, (n) => {
      if (n === 1) theirs = pushFromOther(r, "main", { "theirs.txt": "theirs\n" }, "landed first");
    });
    expect(await attemptMerge(t.db, p.id, s.id, log, b)).toBe("done");
    const head = remoteHeadOf(r, "main");
    expect(gitSync(r.bare, "merge-base", "--is-ancestor", theirs, head)).toBe(""); // theirs kept: no force
    expect(gitSync(r.bare, "show", `${head}:mine.txt`)).toBe("mine");
    expect(gitSync(r.bare, "show", `${head}:theirs.txt`)).toBe("theirs");
    const kinds = (await t.db.projectEvent.findMany({ where: { storyId: s.id }, orderBy: { id: "asc" } })).map((e) => `${e.kind}: ${e.message}`);
    expect(kinds.some((k) => k.startsWith("merge_push_retry:") && /moved meanwhile/.test(k))).toBe(true);
    expect(kinds.some((k) => k.startsWith("merge_gates_passed:") && /moved meanwhile passed/.test(k))).toBe(true);
  });

  it("the gates run again on the combined tree: a combination that fails them goes to the mergemaster and does not land", async () => {
    // Passes on the story alone, fails once the other host's file is in the tree.
    const { r, p, a, b } = await remoteProject("combined-gate", "sh -c '! test -f theirs.txt'");
    const s = await createStory(t.db, { projectId: p.id, title: "Alone fine", stage: "merge" }, testActor);
    await coderOnHostA(a, p, `drover/${s.number}-alone-fine`, { "mine.txt": "mine\n" });
    withRaceBeforePush(b, (n) => {
      if (n === 1) pushFromOther(r, "main", { "theirs.txt": "theirs\n" }, "landed first");
    });
    expect(await attemptMerge(t.db, p.id, s.id, log, b)).toBe("mergemaster");
    expect(gitSync(r.bare, "ls-tree", "--name-only", "main")).not.toContain("mine.txt");
    expect((await t.db.story.findUniqueOrThrow({ where: { id: s.id } })).stage).toBe("merge");
    const failed = await t.db.projectEvent.findFirst({ where: { storyId: s.id, kind: "merge_gates_failed" } });
    expect(failed?.message).toMatch(/moved meanwhile failed/);
  });

  it(`a base that keeps moving: after ${REMOTE_PUSH_TRIES} tries the mergemaster takes over; the story is not done`, async () => {
    const { r, p, a, b } = await remoteProject("busy-base");
    const s = await createStory(t.db, { projectId: p.id, title: "Busy", stage: "merge" }, testActor);
    await coderOnHostA(a, p, `drover/${s.number}-busy`, { "busy.txt": "busy\n" });
    withRaceBeforePush(b, (n) => pushFromOther(r, "main", { [`other-${n}.txt`]: `${n}\n` }, `other ${n}`));
    expect(await attemptMerge(t.db, p.id, s.id, log, b)).toBe("mergemaster");
    expect(gitSync(r.bare, "ls-tree", "--name-only", "main")).not.toContain("busy.txt");
    expect((await t.db.story.findUniqueOrThrow({ where: { id: s.id } })).stage).toBe("merge");
    const mm = await t.db.agentSession.findFirstOrThrow({ where: { storyId: s.id, stage: "mergemaster" } });
    expect(`${mm.prompt}\n${mm.resumeContext}`).toMatch(/moved during each of 3 attempts/);
  });

  it("a conflict resolved by a mergemaster on host A is merged by host B from the sealed work A pushed", async () => {
    const { r, p, a, b } = await remoteProject("mergemaster-elsewhere");
    const s = await createStory(t.db, { projectId: p.id, title: "Clash", stage: "merge" }, testActor);
    await coderOnHostA(a, p, `drover/${s.number}-clash`, { "README.md": "story version\n" });
    await conflictResolvedOnHostA(r, p, s, a, "both versions\n");

    expect(await attemptMerge(t.db, p.id, s.id, log, b)).toBe("done");
    const head = remoteHeadOf(r, "main");
    expect(gitSync(r.bare, "show", `${head}:README.md`)).toBe("both versions");
    expect(gitSync(r.bare, "branch", "--list", "merge-queue/*")).toBe(""); // gone from the remote after the merge
  });

  it("sealed work an earlier merge of the story left on the remote is not taken for this merge's", async () => {
    const { r, p, a, b } = await remoteProject("stale-merge-branch");
    const s = await createStory(t.db, { projectId: p.id, title: "Again", stage: "merge" }, testActor);
    pushFromOther(r, `merge-queue/${s.number}`, { "README.md": "stale resolution\n" }, "an earlier merge's sealed work");
    await coderOnHostA(a, p, `drover/${s.number}-again`, { "README.md": "story version\n" });
    await conflictResolvedOnHostA(r, p, s, a, "this merge's resolution\n");

    expect(await attemptMerge(t.db, p.id, s.id, log, b)).toBe("done");
    expect(gitSync(r.bare, "show", `${remoteHeadOf(r, "main")}:README.md`)).toBe("this merge's resolution");
  });

  it("a remote that refuses the push (a hook): the story stays in merge with the remote's reason on the board", async () => {
    const { r, p, a, b } = await remoteProject("protected");
    const s = await createStory(t.db, { projectId: p.id, title: "Blocked", stage: "merge" }, testActor);
    await coderOnHostA(a, p, `drover/${s.number}-blocked`, { "blocked.txt": "x\n" });
    refusePushesTo(r, "main", "main is protected: open a pull request");
    const before = remoteHeadOf(r, "main");
    expect(await attemptMerge(t.db, p.id, s.id, log, b)).toBe("merge_failure");
    expect(remoteHeadOf(r, "main")).toBe(before);
    const story = await t.db.story.findUniqueOrThrow({ where: { id: s.id } });
    expect(story.stage).toBe("merge");
    expect(story.mergeCommit).toBeNull();
    expect(story.mergeFailure).toMatch(/the remote refused the push to main \(pre-receive hook declined\).*main is protected: open a pull request/);
  });

  it("a roster broken on the remote base keeps the last good config; the error names the commit", async () => {
    const { r, p, b } = await remoteProject("broken-roster");
    const bad = pushFromOther(r, "main", { ".drover/project.toml": "gates = [\n" }, "break the roster");
    await b.syncConfig(p, AUTOMATION.configSync);
    const now = await t.db.project.findUniqueOrThrow({ where: { id: p.id } });
    expect(now.configError).toContain(`.drover/project.toml at commit ${bad.slice(0, 12)} of main:`);
    expect(now.configCommit).toBe(bad);
    expect(now.rosterText).toBe(p.rosterText);
  });
});
