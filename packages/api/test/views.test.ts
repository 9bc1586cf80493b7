// The read-only view routers against a real Postgres, and live updates through LISTEN/NOTIFY.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notify, CHANNELS } from "@drover/db/notify";
import type {} from "@drover/db/testing/global-setup"; // types of inject("dbAdminUrl")
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { createCallerFactory } from "../src/trpc.ts";
import { testContext } from "../testing/context.ts";
import { viewsRouter } from "../src/routers/views.ts";
import { liveRouter } from "../src/routers/live.ts";
import { splitUnifiedDiff } from "@drover/repo/branch-diff";
import { readBranchChange } from "@drover/repo/merged-change";
import { recordBranchDiff } from "@drover/db/services/story-changes";

let t: TestDatabase;
let tmp: string;
let projectId: number;
let storyId: number;
let agentId: number;

const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd, encoding: "utf8" });

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drover-web-views-"));
  git(tmp, "init", "-q", "-b", "main");
  fs.writeFileSync(path.join(tmp, "a.txt"), "one\ntwo\n");
  fs.writeFileSync(path.join(tmp, "gone.txt"), "bye\n");
  git(tmp, "add", ".");
  git(tmp, "commit", "-q", "-m", "base");
  git(tmp, "checkout", "-q", "-b", "feature/story-1");
  fs.writeFileSync(path.join(tmp, "a.txt"), "one\n2\n");
  fs.writeFileSync(path.join(tmp, "new.txt"), "fresh\n");
  fs.rmSync(path.join(tmp, "gone.txt"));
  git(tmp, "add", "-A");
  git(tmp, "commit", "-q", "-m", "change");
  git(tmp, "checkout", "-q", "main");

  const p = await t.db.project.create({ data: { name: "p", repoPath: tmp } });
  projectId = p.id;
  const a = await t.db.agent.create({ data: { projectId, name: "coder-1", stage: "coder", runtime: "command" } });
  agentId = a.id;
  const s = await t.db.story.create({
    data: { projectId, number: 1, slug: "one", title: "One", stage: "current", body: "## Acceptance Criteria\n\n- [x] a\n- [ ] b\n", agent: "coder-1" },
  });
  storyId = s.id;
  await t.db.story.create({ data: { projectId, number: 2, slug: "two", title: "Two", stage: "archived" } });
  await t.db.agentSession.create({
    data: { projectId, storyId, agentId, stage: "coder", status: "completed", runtime: "command", costUsd: 0.5, branch: "feature/story-1", baseBranch: "main" },
  });
  await t.db.agentSession.create({ data: { projectId, storyId, agentId, stage: "coder", status: "running", runtime: "command", costUsd: 0.25 } });
});

afterAll(async () => {
  await t?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const caller = () => createCallerFactory(viewsRouter)(testContext(t.db));

describe("views", () => {
  it("board: cards carry live agent status, cost and criteria; archived only on request", async () => {
    const b = await caller().board({ projectId });
    expect(b.stories.map((s) => s.number)).toEqual([1]);
    const card = b.stories[0]!;
    expect(card).toMatchObject({ agentName: "coder-1", agentStatus: "running", costUsd: 0.75, criteria: { done: 1, total: 2 } });
    expect(b.agents[0]).toMatchObject({ name: "coder-1", status: "running", storyId });
    const all = await caller().board({ projectId, includeArchived: true });
    expect(all.stories.map((s) => s.number).sort()).toEqual([1, 2]);

    await t.db.agent.update({ where: { id: agentId }, data: { throttledUntil: new Date(Date.now() + 60_000) } });
    expect((await caller().board({ projectId })).stories[0]!.agentStatus).toBe("throttled");
    await t.db.story.update({ where: { id: storyId }, data: { blocked: true, blockedReason: "gates failed twice" } });
    expect((await caller().board({ projectId })).stories[0]).toMatchObject({ agentStatus: "blocked", blockedReason: "gates failed twice" });
    await t.db.story.update({ where: { id: storyId }, data: { blocked: false } });
    await t.db.agent.update({ where: { id: agentId }, data: { throttledUntil: null } });
  });

  it("board: says whether the project runs sandboxed (sandbox = false opts out, and the board warns)", async () => {
    expect((await caller().board({ projectId })).project.sandbox).toBe(true); // a config without the key: sandboxed
    const before = (await t.db.project.findUniqueOrThrow({ where: { id: projectId } })).config;
    await t.db.project.update({ where: { id: projectId }, data: { config: { sandbox: false } } });
    try {
      expect((await caller().board({ projectId })).project.sandbox).toBe(false);
    } finally {
      await t.db.project.update({ where: { id: projectId }, data: { config: before ?? {} } });
    }
  });

  it("board: cards carry the retry limit (0 = no limit), and the project's config stays on the server", async () => {
    const b = await caller().board({ projectId });
    expect(b.stories[0]!.maxRetries).toBe(2);
    expect(b.project).not.toHaveProperty("config");
    await t.db.project.update({ where: { id: projectId }, data: { config: { max_retries: 0, agents: [] } } });
    expect((await caller().board({ projectId })).stories[0]!.maxRetries).toBe(0);
  });

  it("storyDiff: the branch against base, per file, from the database while the repository is gone", async () => {
    expect((await caller().storyDiff({ storyId })).note).toMatch(/No diff of feature\/story-1 yet: a runner captures it/);
    // What a runner stores when a session on the story ends (apps/runner capture-diffs.ts).
    const { baseCommit, ...change } = await readBranchChange(tmp, "main", "feature/story-1");
    const head = git(tmp, "rev-parse", "feature/story-1").trim();
    await recordBranchDiff(t.db, { storyId, branch: "feature/story-1", baseBranch: "main", baseCommit, headCommit: head, ...change });
    // The web has no access to the repository: it is moved away.
    const moved = `${tmp}-moved`;
    fs.renameSync(tmp, moved);
    try {
      const d = await caller().storyDiff({ storyId });
      expect(d).toMatchObject({ source: "branch", branch: "feature/story-1", base: "main", commit: head, truncated: false });
      expect(d.capturedAt).toBeInstanceOf(Date);
      const byPath = Object.fromEntries(d.files.map((f) => [f.path, f]));
      expect(byPath["a.txt"]).toMatchObject({ status: "modified", additions: 1, deletions: 1 });
      expect(byPath["a.txt"]!.patch).toContain("-two");
      expect(byPath["new.txt"]).toMatchObject({ status: "added", additions: 1 });
      expect(byPath["gone.txt"]).toMatchObject({ status: "deleted", deletions: 1 });
    } finally {
      fs.renameSync(moved, tmp);
    }
  });

  it("storyDiff: a capture cut to its bounds says so, per file and in total", async () => {
    git(tmp, "checkout", "-q", "-b", "feature/big", "main");
    fs.writeFileSync(path.join(tmp, "big.txt"), `${"x".repeat(50)}\n`.repeat(200));
    git(tmp, "add", "-A");
    git(tmp, "commit", "-q", "-m", "big");
    git(tmp, "checkout", "-q", "main");
    const { baseCommit, ...change } = await readBranchChange(tmp, "main", "feature/big", { totalPatchChars: 100_000, filePatchChars: 1_000 });
    await recordBranchDiff(t.db, { storyId, branch: "feature/big", baseBranch: "main", baseCommit, headCommit: "b".repeat(40), ...change });
    const d = await caller().storyDiff({ storyId });
    expect(d.truncated).toBe(true);
    expect(d.files).toEqual([expect.objectContaining({ path: "big.txt", additions: 200, truncated: true })]);
    expect(d.files[0]!.patch.length).toBe(1_000);
  });

  it("splitUnifiedDiff reads renames", () => {
    const files = splitUnifiedDiff("diff --git a/x b/y\nsimilarity index 90%\nrename from x\nrename to y\n@@ -1 +1 @@\n-a\n+b\n");
    expect(files).toEqual([{ path: "y", status: "renamed", additions: 1, deletions: 1, patch: "@@ -1 +1 @@\n-a\n+b" }]);
  });

  it("session log index: a range when unfiltered, seqs when filtered, and the errors", async () => {
    const s = await t.db.agentSession.create({ data: { projectId, storyId, agentId, stage: "other", status: "failed", runtime: "command" } });
    await t.db.sessionEvent.createMany({
      data: [
        { sessionId: s.id, seq: 0, kind: "text", text: "hello" },
        { sessionId: s.id, seq: 1, kind: "tool_result", payload: { ok: false, output: "boom" } },
        { sessionId: s.id, seq: 2, kind: "text", text: "Hello again" },
        { sessionId: s.id, seq: 3, kind: "gate", text: "tests", payload: { passed: false } },
        { sessionId: s.id, seq: 4, kind: "error", text: "fatal" },
      ],
    });
    const all = await caller().sessionIndex({ sessionId: s.id });
    expect(all).toEqual({ mode: "range", min: 0, max: 4, errorSeqs: [1, 3, 4], lastSeq: 4 });
    const texts = await caller().sessionIndex({ sessionId: s.id, kinds: ["text"] });
    expect(texts).toMatchObject({ mode: "list", seqs: [0, 2], lastSeq: 4 });
    const search = await caller().sessionIndex({ sessionId: s.id, q: "HELLO" });
    expect(search).toMatchObject({ seqs: [0, 2] });
    const slice = await caller().sessionEvents({ sessionId: s.id, fromSeq: 1, toSeq: 3 });
    expect(slice.map((e) => e.seq)).toEqual([1, 2, 3]);
    const picked = await caller().sessionEvents({ sessionId: s.id, fromSeq: 0, toSeq: 4, seqs: [0, 4] });
    expect(picked.map((e) => e.kind)).toEqual(["text", "error"]);
    await expect(caller().sessionEvents({ sessionId: s.id, fromSeq: 0, toSeq: 10_000 })).rejects.toThrow(/at most 5000/);
  });

  it("unknown ids are NOT_FOUND", async () => {
    await expect(caller().story({ storyId: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller().session({ sessionId: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("live", () => {
  it("a NOTIFY on the board channel reaches the project's subscribers, not others'", async () => {
    const ac = new AbortController();
    const live = createCallerFactory(liveRouter)(testContext(t.db), { signal: ac.signal });
    const mine = (await live.project({ projectId })) as AsyncIterable<Record<string, unknown>>;
    const it = mine[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({ ready: true });
    // The hub's LISTEN connection comes up asynchronously: notify until something arrives.
    const got = it.next();
    let seen: IteratorResult<Record<string, unknown>> | undefined;
    void got.then((r) => (seen = r));
    for (let i = 0; i < 100 && !seen; i++) {
      await notify(t.db, CHANNELS.board, { projectId: projectId + 1000, storyId: 7 });
      await notify(t.db, CHANNELS.board, { projectId, storyId });
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen?.value).toEqual({ channel: "board", storyId });
    ac.abort();
  });
});
