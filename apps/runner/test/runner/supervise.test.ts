// One in-process runner against a real database and real git repositories: the life of single
// sessions (success, failures, stop, timeouts, worktree and setup problems, path escapes, resume).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANNELS, notify } from "@drover/db/notify";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import type { RunnerHandle } from "../../src/runner/start-runner.ts";
import { startTestRunner } from "../fixtures/test-runner.ts";
import { groupAlive, makeRepo, seedProject, seedSession, waitFor } from "./helpers.ts";

let t: TestDatabase;
let runner: RunnerHandle;
let dataDir: string;

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-runner-data-"));
  process.env.CLAUDECODE = "1"; // must not reach agents
  runner = await startTestRunner({
    databaseUrl: t.url,
    capacity: 4,
    dataDir,
  });
});

afterAll(async () => {
  await runner?.stop();
  await t?.drop();
});

const ended = (id: number) =>
  waitFor(
    async () => {
      const s = await t.db.agentSession.findUniqueOrThrow({ where: { id } });
      return ["completed", "failed", "stopped", "interrupted"].includes(s.status) ? s : undefined;
    },
    `session ${id} to end`,
    60_000,
  );

const events = (sessionId: number) => t.db.sessionEvent.findMany({ where: { sessionId }, orderBy: { seq: "asc" } });

describe("runner supervising sessions", () => {
  it("runs a command agent in its worktree: prompt on stdin, private HOME, clean env, events in order", async () => {
    const repo = await makeRepo();
    fs.writeFileSync(path.join(repo, ".env"), "SECRET=1\n");
    const p = await seedProject(t.db, repo, { copy_files: [".env"], component: [{ name: "app", path: ".", setup: ["echo setting up > setup.out"] }] });
    const script = [
      'echo \'{"kind":"init","runtimeSessionId":"rs-42"}\'',
      "cat; echo", // the prompt, from stdin
      'echo "pwd=$(pwd)"',
      'echo "home=$HOME"',
      'echo "claudecode=${CLAUDECODE:-unset}"',
      'echo "db=${DATABASE_URL:-unset}"',
      'echo "sid=$DROVER_SESSION_ID"',
      "cat .env setup.out",
      'echo \'{"kind":"usage","inputTokens":10,"outputTokens":5}\'',
      'echo \'{"kind":"usage","inputTokens":1,"outputTokens":2,"costUsd":0.5}\'',
      "echo to-stderr >&2",
    ].join("\n");
    const long = "x".repeat(300_000); // far beyond any argv or line-length cap
    const s = await seedSession(t.db, p.id, { command: ["sh", "-c", script], slug: "Add Login!", prompt: `PROMPT-${long}` });
    const done = await ended(s.id);
    expect(done.status).toBe("completed");
    expect(done.reason).toBe("completed");
    expect(done.runtimeSessionId).toBe("rs-42");
    expect(done.inputTokens).toBe(11);
    expect(done.outputTokens).toBe(7);
    expect(done.costUsd).toBeCloseTo(0.5);
    expect(done.turns).toBe(1);
    expect(done.branch).toBe("drover/1-add-login");
    const wt = path.join(fs.realpathSync(repo), ".drover/worktrees/1-add-login");
    expect(done.worktreePath).toBe(wt);
    expect(done.pgid).toBeGreaterThan(1);
    expect(groupAlive(done.pgid!)).toBe(false);

    const evs = await events(s.id);
    expect(evs.map((e) => e.seq)).toEqual(evs.map((_, i) => i + 1));
    const texts = evs.filter((e) => e.kind === "text").map((e) => e.text);
    expect(texts).toContain(`PROMPT-${long}`);
    expect(texts).toContain(`pwd=${wt}`);
    expect(texts.find((x) => x?.startsWith("home="))).toMatch(new RegExp(`^home=${dataDir}.*/${s.id}/home$`));
    expect(texts).toContain("claudecode=unset");
    expect(texts).toContain("db=unset");
    expect(texts).toContain(`sid=${s.id}`);
    expect(texts).toContain("SECRET=1");
    expect(texts).toContain("setting up");
    expect(evs.find((e) => e.kind === "stderr")?.text).toBe("to-stderr");
    expect(evs.find((e) => e.kind === "init")?.raw).toBe('{"kind":"init","runtimeSessionId":"rs-42"}');
    expect(evs.some((e) => e.kind === "setup" && e.text?.includes("echo setting up"))).toBe(true);
    expect(evs[evs.length - 1].kind).toBe("status");
    expect(evs[evs.length - 1].text).toMatch(/completed/);
    // the worktree root is ignored by git in the main checkout
    const status = await execa("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: repo });
    expect(status.stdout).toBe("?? .env"); // the test's own untracked file; nothing under .drover/
    const kinds = (await t.db.projectEvent.findMany({ where: { sessionId: s.id } })).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["session_started", "session_completed"]));
  });

  it("gives command agents every template variable the config accepts, and an estimated cost", async () => {
    const repo = await makeRepo();
    const p = await seedProject(t.db, repo, { prices: { "demo-model": { input_per_mtok: 1_000_000, output_per_mtok: 2_000_000 } } });
    const script = 'echo "vars=$1|$2|$3|$4|$5|$6"; echo \'{"kind":"usage","inputTokens":3,"outputTokens":2}\'';
    const s = await seedSession(t.db, p.id, {
      agent: "coder-x",
      command: ["sh", "-c", script, "sh", "{{story_id}}", "{{story_name}}", "{{agent_name}}", "{{branch}}", "{{base_branch}}", "{{worktree_path}}"],
      agentConfig: { model: "demo-model" },
    });
    await t.db.agentSession.update({ where: { id: s.id }, data: { model: "demo-model" } });
    const done = await ended(s.id);
    expect(done.status).toBe("completed");
    const story = await t.db.story.findUniqueOrThrow({ where: { id: done.storyId } });
    const text = (await events(s.id)).map((e) => e.text ?? "").join("\n");
    expect(text).toContain(`vars=${story.number}|${story.title}|coder-x|${done.branch}|main|${done.worktreePath}`);
    // Gemini and Codex report tokens only: the runner prices them from the project's table.
    expect(done).toMatchObject({ inputTokens: 3, outputTokens: 2, costUsd: 7, costEstimated: true });
  });

  it("fails on a non-zero exit, and reuses the story's worktree without re-running setup", async () => {
    const repo = await makeRepo();
    const p = await seedProject(t.db, repo, { component: [{ name: "app", setup: ["echo x >> setup-count"] }] });
    const a = await seedSession(t.db, p.id, { command: ["sh", "-c", "echo one > mine.txt; exit 3"], storyNumber: 7 });
    const da = await ended(a.id);
    expect(da.status).toBe("failed");
    expect(da.reason).toBe("exit_code");
    expect(da.exitCode).toBe(3);
    const b = await seedSession(t.db, p.id, { command: ["sh", "-c", "cat mine.txt setup-count"], storyNumber: 7, agent: "second" });
    const db2 = await ended(b.id);
    expect(db2.status).toBe("completed");
    expect(db2.worktreePath).toBe(da.worktreePath);
    const texts = (await events(b.id)).filter((e) => e.kind === "text").map((e) => e.text);
    expect(texts).toEqual(["one", "x"]);
  });

  it("a spawn error fails the session at once, naming the binary", async () => {
    const p = await seedProject(t.db, await makeRepo());
    const s = await seedSession(t.db, p.id, { command: ["drover-no-such-agent-cli", "--go"] });
    const done = await ended(s.id);
    expect(done.status).toBe("failed");
    expect(done.reason).toBe("spawn_error");
    expect(done.message).toMatch(/drover-no-such-agent-cli.*not found/);
    expect(done.pid).toBeNull();
    expect(await t.db.agentSession.count({ where: { projectId: p.id, status: "pending" } })).toBe(0);
  });

  it("an agent silent for longer than its inactivity timeout is killed with its whole group", async () => {
    const p = await seedProject(t.db, await makeRepo());
    // The child sleep ignores SIGTERM: only the SIGKILL after the grace takes it.
    const s = await seedSession(t.db, p.id, {
      command: ["sh", "-c", "echo started; (trap '' TERM; sleep 60) & wait"],
      agentConfig: { inactivity_timeout_secs: 1 },
    });
    const done = await ended(s.id);
    expect(done.status).toBe("failed");
    expect(done.reason).toBe("inactivity_timeout");
    expect(groupAlive(done.pgid!)).toBe(false);
    const evs = await events(s.id);
    expect(evs.find((e) => e.kind === "text")?.text).toBe("started");
  });

  it("a stop request kills the process group and ends the session stopped (user_stop)", async () => {
    const p = await seedProject(t.db, await makeRepo());
    const s = await seedSession(t.db, p.id, { command: ["sh", "-c", "echo started; sleep 60 & sleep 60 & wait"] });
    const running = await waitFor(async () => {
      const r = await t.db.agentSession.findUniqueOrThrow({ where: { id: s.id } });
      return r.pgid && groupAlive(r.pgid) && (await t.db.sessionEvent.count({ where: { sessionId: s.id, kind: "text" } })) > 0 ? r : undefined;
    }, "agent running");
    await t.db.agentSession.update({ where: { id: s.id }, data: { stopRequestedAt: new Date() } });
    await notify(t.db, CHANNELS.sessions, { sessionId: s.id, projectId: p.id });
    const done = await ended(s.id);
    expect(done.status).toBe("stopped");
    expect(done.reason).toBe("user_stop");
    expect(groupAlive(running.pgid!)).toBe(false);
    const kinds = (await t.db.projectEvent.findMany({ where: { sessionId: s.id } })).map((e) => e.kind);
    expect(kinds).toContain("session_stopped");
  });

  it("recovers from a stale worktree entry (folder deleted by hand)", async () => {
    const repo = await makeRepo();
    const p = await seedProject(t.db, repo);
    const a = await seedSession(t.db, p.id, { command: ["true"], storyNumber: 3, slug: "stale" });
    const da = await ended(a.id);
    expect(da.status).toBe("completed");
    fs.rmSync(da.worktreePath!, { recursive: true, force: true });
    const list = await execa("git", ["worktree", "list"], { cwd: repo });
    expect(list.stdout).toContain("3-stale"); // the stale entry that would block `worktree add`
    const b = await seedSession(t.db, p.id, { command: ["sh", "-c", "git rev-parse --abbrev-ref HEAD"], storyNumber: 3, agent: "again" });
    const db2 = await ended(b.id);
    expect(db2.status).toBe("completed");
    expect((await events(b.id)).find((e) => e.kind === "text")?.text).toBe("drover/3-stale");
  });

  it("a worktree git cannot create fails loudly with git's message", async () => {
    const repo = await makeRepo();
    const p = await seedProject(t.db, repo);
    const s = await seedSession(t.db, p.id, { command: ["true"], storyNumber: 4, baseBranch: "no-such-base" });
    const done = await ended(s.id);
    expect(done.status).toBe("failed");
    expect(done.reason).toBe("worktree_error");
    expect(done.message).toMatch(/no-such-base/);
  });

  it("a failing setup fails the session with its output, and the agent never starts", async () => {
    const repo = await makeRepo();
    const p = await seedProject(t.db, repo, {
      component: [{ name: "web", path: ".", setup: ["echo preparing", "echo 'npm ERR! broken dependency' >&2; exit 3"] }],
    });
    const s = await seedSession(t.db, p.id, { command: ["sh", "-c", "echo agent-ran"] });
    const done = await ended(s.id);
    expect(done.status).toBe("failed");
    expect(done.reason).toBe("setup_failed");
    expect(done.message).toContain("npm ERR! broken dependency");
    expect(done.pid).toBeNull();
    const evs = await events(s.id);
    expect(evs.filter((e) => e.kind === "setup").map((e) => e.text)).toEqual(expect.arrayContaining(["preparing", "npm ERR! broken dependency"]));
    expect(evs.some((e) => e.text === "agent-ran")).toBe(false);
  });

  it("refuses a worktree path outside the root, also through a symlink", async () => {
    const repo = await makeRepo();
    const p = await seedProject(t.db, repo);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "drover-outside-"));
    const a = await seedSession(t.db, p.id, {
      command: ["touch", "escaped"],
      worktreePath: path.join(repo, ".drover/worktrees/../../../", path.basename(outside)),
      storyNumber: 11,
    });
    const da = await ended(a.id);
    expect(da.status).toBe("failed");
    expect(da.reason).toBe("path_escape");
    fs.mkdirSync(path.join(repo, ".drover/worktrees"), { recursive: true });
    fs.symlinkSync(outside, path.join(repo, ".drover/worktrees/link"));
    const b = await seedSession(t.db, p.id, { command: ["touch", "escaped"], worktreePath: path.join(repo, ".drover/worktrees/link/12-x"), storyNumber: 12 });
    const dbb = await ended(b.id);
    expect(dbb.status).toBe("failed");
    expect(dbb.reason).toBe("path_escape");
    expect(dbb.message).toContain(fs.realpathSync(outside));
    expect(fs.readdirSync(outside)).toEqual([]);
    const pe = await t.db.projectEvent.findMany({ where: { projectId: p.id, kind: "path_escape" } });
    expect(pe.map((e) => e.sessionId).sort()).toEqual([a.id, b.id].sort());
  });

  it("starts fresh once, in the same session, when the runtime cannot resume", async () => {
    const p = await seedProject(t.db, await makeRepo());
    const script = [
      'if [ -n "$DROVER_RESUME_ID" ]; then echo "{\\"kind\\":\\"result\\",\\"outcome\\":\\"resume_not_found\\",\\"isError\\":true,\\"errorText\\":\\"No conversation found\\"}"; exit 1; fi',
      'echo \'{"kind":"init","runtimeSessionId":"new-run"}\'',
      "cat",
    ].join("\n");
    const s = await seedSession(t.db, p.id, {
      command: ["sh", "-c", script],
      prompt: "ONLY-NEW",
      resumeRuntimeSessionId: "gone-id",
      freshPrompt: "FULL-PROMPT",
    });
    const done = await ended(s.id);
    expect(done.status).toBe("completed");
    expect(done.runtimeSessionId).toBe("new-run");
    expect(done.resumeRuntimeSessionId).toBeNull();
    const evs = await events(s.id);
    expect(evs.some((e) => e.kind === "result" && e.text === "No conversation found")).toBe(true);
    expect(evs.filter((e) => e.kind === "text").map((e) => e.text)).toEqual(["FULL-PROMPT"]);
  });

  it("records a project event when an agent commits on the base branch in the main checkout", async () => {
    const repo = await makeRepo();
    // A sandboxed agent cannot reach the main checkout at all (see test/sandbox): this is an opted-out project's safety net.
    const p = await seedProject(t.db, repo, { sandbox: false });
    const s = await seedSession(t.db, p.id, {
      command: ["git", "-C", repo, "commit", "-q", "--allow-empty", "-m", "oops on main"],
      agentConfig: { env: { GIT_AUTHOR_NAME: "a", GIT_AUTHOR_EMAIL: "a@b", GIT_COMMITTER_NAME: "a", GIT_COMMITTER_EMAIL: "a@b" } },
    });
    await ended(s.id);
    const pe = await waitFor(() => t.db.projectEvent.findFirst({ where: { sessionId: s.id, kind: "base_branch_moved" } }), "base_branch_moved event");
    expect(pe.message).toMatch(/main moved/);
  });

  it("respects the project's max_coders at claim time", async () => {
    const p = await seedProject(t.db, await makeRepo(), { max_coders: 1 });
    const a = await seedSession(t.db, p.id, { command: ["sh", "-c", "sleep 1"], storyNumber: 1 });
    const b = await seedSession(t.db, p.id, { command: ["sh", "-c", "sleep 1"], storyNumber: 2 });
    const [da, db2] = [await ended(a.id), await ended(b.id)];
    expect([da.status, db2.status]).toEqual(["completed", "completed"]);
    const [first, second] = [da, db2].sort((x, y) => x.processStartedAt!.getTime() - y.processStartedAt!.getTime());
    expect(second.processStartedAt!.getTime()).toBeGreaterThanOrEqual(first.finishedAt!.getTime());
  });

  it("refuses a branch name git would reject", async () => {
    const p = await seedProject(t.db, await makeRepo());
    const s = await seedSession(t.db, p.id, { command: ["true"] });
    await t.db.agentSession.update({ where: { id: s.id }, data: { branch: "drover/bad..name" } });
    const done = await ended(s.id);
    expect(done.status).toBe("failed");
    expect(done.reason).toBe("bad_branch");
    expect(done.message).toContain("drover/bad..name");
  });
});
