// What one host must not keep to itself when another carries a remote project's story on: the
// conflicted merge a mergemaster needs (re-created from the remote on the host that runs it), and
// commits a cut-off host made on a story branch that moved on meanwhile (kept on a pushed backup
// branch; the story goes on from the remote's commits). Two data folders are the two "hosts"; host B
// (or A) is a real runner claiming the session and running a real command agent.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { addRemoteProject, createStory, startAgent } from "@drover/db/services/index";
import { testActor } from "@drover/db/testing/actors";
import type { Project } from "@drover/db";
import { attemptMerge } from "../../src/automation/merge-flow.ts";
import { pipelineOnExit } from "../../src/automation/on-exit.ts";
import { AUTOMATION } from "../../src/automation/actors.ts";
import { clonesRoot, ProjectRepos } from "../../src/runner/project-repos.ts";
import { ensureWorktree } from "../../src/runner/worktree.ts";
import { startTestRunner } from "../fixtures/test-runner.ts";
import { waitFor } from "../runner/helpers.ts";
import { gitSync, makeRemote, pushFromOther, remoteHeadOf, type TestRemote } from "./remote-fixture.ts";

const log = pino({ level: "silent" });
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

const commit = (msg: string) => `git add -A && git -c user.name=Agent -c user.email=agent@example.com commit -q -m '${msg}'`;
// The mergemaster keeps both sides: it drops the conflict markers, so with none there is nothing to commit and it fails.
const MERGER = ["sh", "-c", `sed -i -e '/^<<<<<<< /d' -e '/^=======$/d' -e '/^>>>>>>> /d' README.md && ${commit("resolved")}`];
// The coder writes down which commits it started from.
const CODER = ["sh", "-c", `git log --format=%s > seen.txt && ${commit("session on A")}`];

// A mergemaster that commits the conflict as it is: sealing refuses it.
const MARKERS_LEFT = ["sh", "-c", commit("kept the markers")];

const roster = (merger: string[]) => `gates = ["sh -c 'test -f README.md'"]

[[agent]]
name = "coder-1"
stage = "coder"
runtime = "command"
command = ${JSON.stringify(CODER)}

[[agent]]
name = "merger"
stage = "mergemaster"
runtime = "command"
command = ${JSON.stringify(merger)}
`;

const dataDir = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-host-")));

async function remoteProject(name: string, merger = MERGER): Promise<{ r: TestRemote; p: Project; aDir: string; a: ProjectRepos; bDir: string }> {
  const r = makeRemote({ "README.md": "hello\n" }, roster(merger));
  const p0 = await addRemoteProject(t.db, { remoteUrl: r.url, baseBranch: "main", name }, testActor);
  const aDir = dataDir();
  const a = new ProjectRepos(clonesRoot(aDir), t.db, process.env);
  await a.syncConfig(p0, AUTOMATION.configSync);
  const p = await t.db.project.findUniqueOrThrow({ where: { id: p0.id } });
  expect(p.configError).toBeNull();
  return { r, p, aDir, a, bDir: dataDir() };
}

/** Host A's worktree of the story branch in its clone, where the runner would make it. */
async function storyWorktreeOnA(a: ProjectRepos, p: Project, branch: string): Promise<string> {
  await a.sync(p, branch);
  const root = path.join(a.path(p), ".drover", "worktrees");
  return (await ensureWorktree({ repoPath: a.path(p), root, path: path.join(root, branch.replace("drover/", "")), branch, baseBranch: p.baseBranch })).path;
}

function commitIn(wt: string, files: Record<string, string>, msg: string): string {
  for (const [k, v] of Object.entries(files)) fs.writeFileSync(path.join(wt, k), v);
  gitSync(wt, "add", "-A");
  gitSync(wt, "-c", "user.name=Coder", "-c", "user.email=c@e", "commit", "-q", "-m", msg);
  return gitSync(wt, "rev-parse", "HEAD");
}

const ended = (id: number) =>
  waitFor(
    async () => {
      const s = await t.db.agentSession.findUniqueOrThrow({ where: { id } });
      return s.finishedAt ? s : undefined;
    },
    `session ${id} to end`,
    60_000,
  );

const statusTexts = async (sessionId: number) => (await t.db.sessionEvent.findMany({ where: { sessionId }, orderBy: { seq: "asc" } })).map((e) => e.text ?? "");

/** Host A's merge of a story conflicts with the base; the mergemaster session it hands off to runs on host B (nothing else does). */
async function conflictOnAMergemasterOnB(r: TestRemote, p: Project, a: ProjectRepos, bDir: string) {
  const s = await createStory(t.db, { projectId: p.id, title: "Clash", stage: "merge" }, testActor);
  const branch = `drover/${s.number}-clash`;
  commitIn(await storyWorktreeOnA(a, p, branch), { "README.md": "story version\n" }, "story side");
  expect(await a.pushBranch(p, branch)).toEqual({ ok: true });
  pushFromOther(r, "main", { "README.md": "their version\n" }, "conflicting change");

  expect(await attemptMerge(t.db, p.id, s.id, log, a)).toBe("mergemaster"); // A found the conflict; its worktree holds it
  const mm = await t.db.agentSession.findFirstOrThrow({ where: { storyId: s.id, stage: "mergemaster" } });
  // B seals the mergemaster's work on exit, as the pipeline does; no retries, no merges there.
  const runnerB = await startTestRunner({ databaseUrl: t.url, dataDir: bDir, id: "host-b", hooks: { onExit: pipelineOnExit, afterEnd: async () => {} } });
  const done = await ended(mm.id).finally(() => runnerB.stop());
  return { s, done };
}

describe("a remote project's story carried on by another host", () => {
  it("a conflict prepared on host A is resolved by a mergemaster on host B (the conflict re-created there), then merged by A from B's pushed work", async () => {
    const { r, p, a, bDir } = await remoteProject("mergemaster-on-b");
    const { s, done } = await conflictOnAMergemasterOnB(r, p, a, bDir);
    const said = await statusTexts(done.id);
    expect(done, said.join("\n")).toMatchObject({ runnerId: "host-b", status: "completed" });
    expect(said.some((x) => /Merge worktree prepared here again from .* \(conflicts in README\.md\)/.test(x))).toBe(true);
    const sealed = gitSync(r.bare, "rev-parse", `refs/heads/merge-queue/${s.number}`); // B pushed its sealed work

    // Host A still holds its own conflicted worktree; it merges what B sealed, not that.
    expect(await attemptMerge(t.db, p.id, s.id, log, a)).toBe("done");
    const head = remoteHeadOf(r, "main");
    expect(gitSync(r.bare, "show", `${head}:README.md`).split("\n").sort()).toEqual(["story version", "their version"]);
    expect(gitSync(r.bare, "diff", sealed, head)).toBe("");
    expect((await t.db.story.findUniqueOrThrow({ where: { id: s.id } })).stage).toBe("done");
  });

  it("a mergemaster that fails (markers left in) pushes nothing: only sealed work reaches the remote's merge branch", async () => {
    const { r, p, a, bDir } = await remoteProject("mergemaster-fails-on-b", MARKERS_LEFT);
    const { s, done } = await conflictOnAMergemasterOnB(r, p, a, bDir);
    expect(done).toMatchObject({ runnerId: "host-b", status: "failed", reason: "merge_conflict" });
    expect(gitSync(r.bare, "branch", "--list", `merge-queue/${s.number}`)).toBe("");
  });

  it("host A returns with commits it never pushed while host B pushed newer ones: A goes on from B's commits and keeps its own on a backup branch on the remote", async () => {
    const { r, p, a, aDir } = await remoteProject("diverged-branch");
    const s = await createStory(t.db, { projectId: p.id, title: "Cut off", stage: "current" }, testActor);
    const branch = `drover/${s.number}-cut-off`;
    const wtA = await storyWorktreeOnA(a, p, branch);
    commitIn(wtA, { "shared.txt": "one\n" }, "shared start");
    expect(await a.pushBranch(p, branch)).toEqual({ ok: true });
    const mine = commitIn(wtA, { "a.txt": "a\n" }, "only on A"); // A is cut off before it pushes this
    fs.writeFileSync(path.join(wtA, "shared.txt"), "uncommitted on A\n"); // and left this uncommitted
    const theirs = pushFromOther(r, branch, { "b.txt": "b\n" }, "newer from B");

    const runnerA = await startTestRunner({ databaseUrl: t.url, dataDir: aDir, id: "host-a" });
    const done = await startAgent(t.db, { projectId: p.id, storyNumber: s.number, agentName: "coder-1", trigger: "manual" }, testActor)
      .then((session) => ended(session.id))
      .finally(() => runnerA.stop());
    expect(done.status, (await statusTexts(done.id)).join("\n")).toBe("completed");

    // The session started from B's commits and its work went to the remote on top of them.
    const head = remoteHeadOf(r, branch);
    expect(gitSync(r.bare, "rev-parse", `${head}^`)).toBe(theirs);
    const seen = gitSync(r.bare, "show", `${head}:seen.txt`).split("\n");
    expect(seen.slice(0, 2)).toEqual(["newer from B", "shared start"]);
    expect(seen).not.toContain("only on A");
    expect(gitSync(r.bare, "ls-tree", "--name-only", head)).not.toContain("a.txt");

    // A's own commit (and its uncommitted change, on top) are on the backup branch on the remote.
    const backups = gitSync(r.bare, "for-each-ref", "--format=%(refname:short)", `refs/heads/drover/backup/`).split("\n");
    expect(backups).toHaveLength(1);
    const backup = backups[0]!;
    expect(backup).toMatch(new RegExp(`^drover/backup/${s.number}-cut-off/[0-9a-f]{12}$`));
    expect(backup.endsWith(gitSync(r.bare, "rev-parse", backup).slice(0, 12))).toBe(true);
    expect(gitSync(r.bare, "rev-parse", `${backup}^1`)).toBe(mine);
    expect(gitSync(r.bare, "show", `${backup}:shared.txt`)).toBe("uncommitted on A");
    expect(gitSync(r.bare, "show", `${mine}:a.txt`)).toBe("a");

    // The story's activity says so.
    const activity = await t.db.projectEvent.findFirst({ where: { storyId: s.id, kind: "branch_diverged" } });
    expect(activity?.message).toContain(`1 commit(s) not on the remote and its uncommitted changes are kept on branch ${backup} on the remote`);
    expect(activity?.message).toContain(`continuing from the remote's ${theirs.slice(0, 10)}`);
  });
});
