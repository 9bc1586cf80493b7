// The pipeline's rules against real Postgres and real git, in process (no runner): each storkit
// bug the issue lists gets a test that tries to make it happen.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { addProject } from "@drover/db/services/projects";
import { createStory, moveStory, unblockStory } from "@drover/db/services/stories";
import { startAgent } from "@drover/db/services/agents";
import { retryStory } from "@drover/db/services/review";
import { applyAfterSession } from "../../src/automation/after-end.ts";
import { attemptMerge } from "../../src/automation/merge-flow.ts";
import { pipelineOnExit } from "../../src/automation/on-exit.ts";
import { autoAssignProject, planForProject } from "../../src/automation/auto-assign.ts";
import { compactOldSessions, enforceAgentBudgets, sweepDone, throttleFromEvents } from "../../src/automation/heartbeat.ts";
import { createAutomationHooks } from "../../src/automation/index.ts";
import type { SessionRow } from "../../src/runner/lifecycle.ts";
import { repoAccess } from "@drover/repo";
import { testActor } from "@drover/db/testing/actors";

const log = pino({ level: "silent" });
let t: TestDatabase;
const dirs: string[] = [];
afterAll(async () => {
  await t?.drop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
beforeAll(async () => {
  t = await createTestDatabase();
});

const CONFIG = (extra = "") => `
default_qa = "server"
max_retries = 2
gates = []
${extra}
[[agent]]
name = "coder-1"
stage = "coder"
runtime = "command"
command = ["true"]
max_budget_usd = 1.0

[[agent]]
name = "qa-1"
stage = "qa"
runtime = "command"
command = ["true"]

[[agent]]
name = "merger"
stage = "mergemaster"
runtime = "command"
command = ["true"]
`;

async function project(extra = "") {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "drover-pipedb-"));
  dirs.push(repo);
  const git = (...a: string[]) => execFileSync("git", a, { cwd: repo, encoding: "utf8" }).trim();
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@t");
  git("config", "user.name", "T");
  fs.mkdirSync(path.join(repo, ".drover"));
  fs.writeFileSync(path.join(repo, ".drover/project.toml"), CONFIG(extra));
  fs.writeFileSync(path.join(repo, "a.txt"), "one\ntwo\n");
  git("add", "-A");
  git("commit", "-q", "-m", "init");
  const { project } = await addProject(t.db, { repoPath: repo, name: path.basename(repo) }, repoAccess, testActor);
  return { repo, git, projectId: project.id };
}

/** A story branch drover/<n>-<slug> with one commit (or none), created the way the runner does. */
function branch(p: { git: (...a: string[]) => string; repo: string }, name: string, files: Record<string, string>) {
  const wt = path.join(p.repo, ".drover/worktrees", name.replace("/", "-"));
  p.git("worktree", "add", "-q", "-b", name, wt, "main");
  for (const [f, c] of Object.entries(files)) fs.writeFileSync(path.join(wt, f), c);
  if (Object.keys(files).length) {
    execFileSync("git", ["add", "-A"], { cwd: wt });
    execFileSync("git", ["commit", "-q", "-m", "work"], { cwd: wt });
  }
  return wt;
}

/** Plays the runner's part: the pending session runs and ends with the given verdict. */
async function end(sessionId: number, status: "completed" | "failed" | "stopped", reason: string, message?: string, report?: object) {
  await t.db.agentSession.update({
    where: { id: sessionId },
    data: { status, reason, message: message ?? null, finishedAt: new Date(), startedAt: new Date(), ...(report ? { report } : {}) },
  });
  return applyAfterSession(t.url, t.db, sessionId, status, reason, log);
}

const sessionRow = (id: number) =>
  t.db.agentSession.findUniqueOrThrow({ where: { id }, include: { story: true, agent: true, project: true } }) as Promise<SessionRow>;
const exitCtx = async (id: number, wt: string, over: Partial<Parameters<typeof pipelineOnExit>[0]> = {}) => ({
  db: t.db,
  runnerId: "test",
  session: await sessionRow(id),
  worktreePath: wt,
  exitCode: 0,
  signal: null,
  result: { kind: "result" as const, outcome: "success" as const, turns: 1 },
  turns: 1,
  emit: async () => {},
  ...over,
});

/** Runs `fn` while Postgres refuses activity entries of `kind`: a failure injected after the change it announces. */
async function failInsertsOf(kind: string, fn: () => Promise<void>) {
  await t.db.$executeRawUnsafe(
    `CREATE OR REPLACE FUNCTION test_fail_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected: %', NEW.kind; END $$`,
  );
  await t.db.$executeRawUnsafe(
    `CREATE TRIGGER test_fail_event BEFORE INSERT ON project_events FOR EACH ROW WHEN (NEW.kind = '${kind}') EXECUTE FUNCTION test_fail_event()`,
  );
  try {
    await fn();
  } finally {
    await t.db.$executeRawUnsafe("DROP TRIGGER test_fail_event ON project_events");
  }
}

describe("merge never lies", () => {
  it("an empty story branch leaves the story in merge with merge_failure; unblock clears it", async () => {
    const p = await project();
    const s = await createStory(t.db, { projectId: p.projectId, title: "Empty", stage: "merge" }, testActor);
    branch(p, `drover/${s.number}-${s.slug}`, {});
    const mainBefore = p.git("rev-parse", "main");
    expect(await attemptMerge(t.db, p.projectId, s.id, log)).toBe("merge_failure");
    const after = await t.db.story.findUniqueOrThrow({ where: { id: s.id } });
    expect(after.stage).toBe("merge");
    expect(after.mergeFailure).toContain("no change");
    expect(after.mergeCommit).toBeNull();
    expect(p.git("rev-parse", "main")).toBe(mainBefore);
    // skipped while the failure stands; unblock clears it
    expect(await attemptMerge(t.db, p.projectId, s.id, log)).toBe("skipped");
    const unblocked = await unblockStory(t.db, { projectId: p.projectId, storyNumber: s.number }, testActor);
    expect(unblocked.mergeFailure).toBeNull();
  });

  it("a merge failure and its announcement are one transaction: if the activity entry cannot be written, the failure is not either", async () => {
    const p = await project();
    const s = await createStory(t.db, { projectId: p.projectId, title: "Atomic failure", stage: "merge" }, testActor);
    branch(p, `drover/${s.number}-${s.slug}`, {});
    await failInsertsOf("merge_failed", async () => {
      await expect(attemptMerge(t.db, p.projectId, s.id, log)).rejects.toThrow(/injected: merge_failed/);
    });
    expect((await t.db.story.findUniqueOrThrow({ where: { id: s.id } })).mergeFailure).toBeNull();
    // Without the injected failure the same attempt writes both, and the next pass skips the story.
    expect(await attemptMerge(t.db, p.projectId, s.id, log)).toBe("merge_failure");
    expect((await t.db.story.findUniqueOrThrow({ where: { id: s.id } })).mergeFailure).toContain("no change");
    expect(await t.db.projectEvent.count({ where: { storyId: s.id, kind: "merge_failed" } })).toBe(1);
  });

  it("a rate-limited mergemaster that did nothing never counts as success, and restarts at the reset time", async () => {
    const p = await project();
    const s = await createStory(t.db, { projectId: p.projectId, title: "Conflicting", stage: "merge" }, testActor);
    branch(p, `drover/${s.number}-${s.slug}`, { "a.txt": "one\nTWO-story\n" });
    fs.writeFileSync(path.join(p.repo, "a.txt"), "one\nTWO-main\n");
    p.git("commit", "-qam", "main moved");
    const mainBefore = p.git("rev-parse", "main");
    expect(await attemptMerge(t.db, p.projectId, s.id, log)).toBe("mergemaster");
    const mm = await t.db.agentSession.findFirstOrThrow({ where: { storyId: s.id, stage: "mergemaster" } });
    expect(mm.worktreePath).toMatch(/merge-queue-\d+$/);
    expect(mm.prompt).toContain("a.txt");

    // It hit a hard limit and exited 0 without touching anything.
    const resetsAt = new Date(Date.now() + 3_600_000).toISOString();
    await t.db.agentSession.update({ where: { id: mm.id }, data: { status: "running" } });
    await t.db.sessionEvent.create({ data: { sessionId: mm.id, seq: 1, kind: "rate_limit", payload: { level: "hard", resetsAt } } });
    const verdict = await pipelineOnExit(await exitCtx(mm.id, mm.worktreePath!));
    expect(verdict).toMatchObject({ status: "failed", reason: "rate_limited" });
    const d = await end(mm.id, "failed", verdict.reason, verdict.message, verdict.report as object);
    expect(d).toMatchObject({ action: "restart_later" });
    const next = await t.db.agentSession.findFirstOrThrow({ where: { storyId: s.id, status: "pending" } });
    expect(next.notBefore!.getTime()).toBe(new Date(resetsAt).getTime() + 5_000);
    expect(next.worktreePath).toBe(mm.worktreePath);
    expect((await t.db.story.findUniqueOrThrow({ where: { id: s.id } })).stage).toBe("merge");
    expect(await attemptMerge(t.db, p.projectId, s.id, log)).toBe("skipped");

    // And if it "succeeds" without resolving anything, the seal refuses: still no merge.
    await t.db.agentSession.update({ where: { id: next.id }, data: { status: "running", notBefore: null } });
    const lazy = await pipelineOnExit(await exitCtx(next.id, next.worktreePath!));
    expect(lazy).toMatchObject({ status: "failed", reason: "merge_conflict" });
    expect(p.git("rev-parse", "main")).toBe(mainBefore);
  });
});

describe("exit verdicts", () => {
  it("uncommitted changes fail the session with the file list; zero turns and error results fail whatever the exit code", async () => {
    const p = await project();
    const s = await createStory(t.db, { projectId: p.projectId, title: "Dirty", stage: "current" }, testActor);
    const session = await startAgent(t.db, { projectId: p.projectId, storyNumber: s.number, agentName: "coder-1", trigger: "user" }, testActor);
    const wt = branch(p, `drover/${s.number}-${s.slug}`, { "b.txt": "b\n" });
    fs.writeFileSync(path.join(wt, "left-behind.txt"), "x");
    const v = await pipelineOnExit(await exitCtx(session.id, wt));
    expect(v).toMatchObject({ status: "failed", reason: "uncommitted_changes" });
    expect(v.message).toContain("left-behind.txt");
    fs.rmSync(path.join(wt, "left-behind.txt"));
    expect(await pipelineOnExit(await exitCtx(session.id, wt, { turns: 0, result: { kind: "result", outcome: "success", turns: 0 } }))).toMatchObject({
      reason: "zero_turns",
    });
    expect(
      await pipelineOnExit(await exitCtx(session.id, wt, { result: { kind: "result", outcome: "api_error", isError: true, errorText: "overloaded" } })),
    ).toMatchObject({ status: "failed", reason: "api_error" });
    expect(await pipelineOnExit(await exitCtx(session.id, wt))).toMatchObject({ status: "completed" });
  });
});

describe("retries", () => {
  it("a crash unrelated to the work restarts later without spending retries", async () => {
    const p = await project();
    const s = await createStory(t.db, { projectId: p.projectId, title: "Crashy", stage: "current" }, testActor);
    const first = await startAgent(t.db, { projectId: p.projectId, storyNumber: s.number, agentName: "coder-1", trigger: "user" }, testActor);
    await end(first.id, "failed", "zero_turns", "no turn");
    const again = await t.db.agentSession.findFirstOrThrow({ where: { storyId: s.id, status: "pending" } });
    expect(again.trigger).toBe("crash_restart");
    expect(again.notBefore!.getTime()).toBeGreaterThan(Date.now());
    expect((await t.db.story.findUniqueOrThrow({ where: { id: s.id } })).retryCount).toBe(0);
  });

  it("a gate failure retries the same agent with the failure output; a person's restart resets retries and unblocks", async () => {
    const p = await project();
    const s = await createStory(t.db, { projectId: p.projectId, title: "Gated", stage: "current" }, testActor);
    const first = await startAgent(t.db, { projectId: p.projectId, storyNumber: s.number, agentName: "coder-1", trigger: "user" }, testActor);
    await end(first.id, "failed", "gate_failed", "The acceptance gate `npm test` exited with code 1. FAIL widget");
    const retry = await t.db.agentSession.findFirstOrThrow({ where: { storyId: s.id, status: "pending" } });
    expect(retry.trigger).toBe("retry");
    expect(retry.resumeOfId).toBe(first.id);
    expect(retry.prompt).toContain("FAIL widget");
    expect((await t.db.story.findUniqueOrThrow({ where: { id: s.id } })).retryCount).toBe(1);
    // the same verdict applied twice (a second runner's sweep) changes nothing
    expect(await applyAfterSession(t.url, t.db, first.id, "failed", "gate_failed", log)).toBeNull();
    expect(await t.db.agentSession.count({ where: { storyId: s.id } })).toBe(2);

    await end(retry.id, "failed", "gate_failed", "still failing");
    const r2 = await t.db.agentSession.findFirstOrThrow({ where: { storyId: s.id, status: "pending" } });
    await end(r2.id, "failed", "gate_failed", "still failing");
    const blocked = await t.db.story.findUniqueOrThrow({ where: { id: s.id } });
    expect(blocked.blocked).toBe(true);
    expect(blocked.retryCount).toBe(2);
    expect(await t.db.agentSession.count({ where: { storyId: s.id, status: "pending" } })).toBe(0);

    const { story, session } = await retryStory(t.db, { projectId: p.projectId, storyNumber: s.number }, testActor);
    expect(story).toMatchObject({ retryCount: 0, blocked: false, blockedReason: null, mergeFailure: null });
    expect(session?.trigger).toBe("user");
  });
});

describe("stories that moved on", () => {
  it("a QA agent still running when its story moves is stopped, and its late verdict advances nothing", async () => {
    const p = await project();
    const s = await createStory(t.db, { projectId: p.projectId, title: "QA moved", stage: "qa", qa: "agent" }, testActor);
    const qa = await startAgent(t.db, { projectId: p.projectId, storyNumber: s.number, agentName: "qa-1", trigger: "auto_assign" }, testActor);
    await t.db.agentSession.update({ where: { id: qa.id }, data: { status: "running" } });
    await moveStory(t.db, { projectId: p.projectId, storyNumber: s.number, to: "current" }, testActor);
    expect((await t.db.agentSession.findUniqueOrThrow({ where: { id: qa.id } })).stopRequestedAt).not.toBeNull();
    const d = await end(qa.id, "completed", "completed");
    expect(d).toMatchObject({ action: "none" });
    expect((await t.db.story.findUniqueOrThrow({ where: { id: s.id } })).stage).toBe("current");
  });
});

describe("auto-assign", () => {
  it("runs again when the board changes, not only at start-up (QA is picked up later)", async () => {
    const p = await project();
    const hooks = createAutomationHooks({ databaseUrl: t.url, logger: log });
    try {
      await hooks.onRunnerStart!();
      await hooks.pass();
      const s = await createStory(t.db, { projectId: p.projectId, title: "Later QA", stage: "current", qa: "agent" }, testActor);
      await moveStory(t.db, { projectId: p.projectId, storyNumber: s.number, to: "qa" }, testActor);
      const until = Date.now() + 30_000;
      let qa = null;
      while (!qa && Date.now() < until) {
        qa = await t.db.agentSession.findFirst({ where: { storyId: s.id, stage: "qa" } });
        if (!qa) await new Promise((r) => setTimeout(r, 200));
      }
      expect(qa).toMatchObject({ trigger: "auto_assign", status: "pending" });
    } finally {
      await hooks.close();
    }
  });

  it("a spent daily budget stops auto-assign, visibly and once", async () => {
    const p = await project("daily_budget_usd = 5.0");
    const s = await createStory(t.db, { projectId: p.projectId, title: "Spent", stage: "current" }, testActor);
    const old = await startAgent(t.db, { projectId: p.projectId, storyNumber: s.number, agentName: "coder-1", trigger: "user" }, testActor);
    await t.db.agentSession.update({ where: { id: old.id }, data: { status: "completed", costUsd: 5.5, handledAt: new Date(), finishedAt: new Date() } });
    await t.db.story.update({ where: { id: s.id }, data: { stageChangedAt: new Date() } });
    await autoAssignProject(t.db, p.projectId, log);
    await autoAssignProject(t.db, p.projectId, log);
    expect(await t.db.agentSession.count({ where: { storyId: s.id } })).toBe(1);
    const halted = await t.db.projectEvent.findMany({ where: { projectId: p.projectId, kind: "auto_assign_halted" } });
    expect(halted).toHaveLength(1);
    expect(halted[0].message).toContain("daily budget spent");
  });

  it("throttled agents (rate-limit warning) are not auto-assigned", async () => {
    const p = await project();
    const s = await createStory(t.db, { projectId: p.projectId, title: "Warned", stage: "current" }, testActor);
    const sess = await startAgent(t.db, { projectId: p.projectId, storyNumber: s.number, agentName: "coder-1", trigger: "user" }, testActor);
    const before = (await t.db.sessionEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    await t.db.sessionEvent.create({
      data: { sessionId: sess.id, seq: 1, kind: "rate_limit", payload: { level: "warning", resetsAt: new Date(Date.now() + 600_000).toISOString() } },
    });
    await throttleFromEvents(t.db, before);
    const agent = await t.db.agent.findFirstOrThrow({ where: { projectId: p.projectId, name: "coder-1" } });
    expect(agent.throttledUntil!.getTime()).toBeGreaterThan(Date.now());
    await t.db.agentSession.update({ where: { id: sess.id }, data: { status: "stopped", reason: "user_stop", handledAt: new Date(), finishedAt: new Date() } });
    await t.db.story.update({ where: { id: s.id }, data: { stageChangedAt: new Date() } });
    const { plan } = await planForProject(t.db, p.projectId);
    expect(plan.picks).toEqual([]);
    expect(plan.skipped[0].why).toContain("no free coder");
  });

  it("a throttle and its announcement are one transaction: if the activity entry cannot be written, the agent is not throttled", async () => {
    const p = await project();
    const s = await createStory(t.db, { projectId: p.projectId, title: "Atomic throttle", stage: "current" }, testActor);
    const sess = await startAgent(t.db, { projectId: p.projectId, storyNumber: s.number, agentName: "coder-1", trigger: "user" }, testActor);
    const before = (await t.db.sessionEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    await t.db.sessionEvent.create({
      data: { sessionId: sess.id, seq: 1, kind: "rate_limit", payload: { level: "warning", resetsAt: new Date(Date.now() + 600_000).toISOString() } },
    });
    await failInsertsOf("agent_throttled", async () => {
      await expect(throttleFromEvents(t.db, before)).rejects.toThrow(/injected: agent_throttled/);
    });
    expect((await t.db.agent.findFirstOrThrow({ where: { projectId: p.projectId, name: "coder-1" } })).throttledUntil).toBeNull();
    await throttleFromEvents(t.db, before);
    expect((await t.db.agent.findFirstOrThrow({ where: { projectId: p.projectId, name: "coder-1" } })).throttledUntil).not.toBeNull();
    expect(await t.db.projectEvent.count({ where: { sessionId: sess.id, kind: "agent_throttled" } })).toBe(1);
  });
});

describe("budgets and housekeeping", () => {
  it("a session over its agent's max_budget_usd is stopped and the story blocked, visibly", async () => {
    const p = await project();
    const s = await createStory(t.db, { projectId: p.projectId, title: "Pricey", stage: "current" }, testActor);
    const sess = await startAgent(t.db, { projectId: p.projectId, storyNumber: s.number, agentName: "coder-1", trigger: "user" }, testActor);
    await t.db.agentSession.update({ where: { id: sess.id }, data: { status: "running", costUsd: 1.25 } });
    expect(await enforceAgentBudgets(t.db, log)).toBeGreaterThanOrEqual(1);
    expect((await t.db.agentSession.findUniqueOrThrow({ where: { id: sess.id } })).stopRequestedAt).not.toBeNull();
    const story = await t.db.story.findUniqueOrThrow({ where: { id: s.id } });
    expect(story.blocked).toBe(true);
    expect(story.blockedReason).toContain("max_budget_usd");
  });

  it("done stories are archived after done_retention_secs, not before", async () => {
    const p = await project("done_retention_secs = 60");
    const oldDone = await createStory(t.db, { projectId: p.projectId, title: "Old", stage: "done" }, testActor);
    const newDone = await createStory(t.db, { projectId: p.projectId, title: "New", stage: "done" }, testActor);
    await t.db.story.update({ where: { id: oldDone.id }, data: { stageChangedAt: new Date(Date.now() - 120_000) } });
    await sweepDone(t.db, [p.projectId]);
    expect((await t.db.story.findUniqueOrThrow({ where: { id: oldDone.id } })).stage).toBe("archived");
    expect((await t.db.story.findUniqueOrThrow({ where: { id: newDone.id } })).stage).toBe("done");
  });

  it("the housekeeping pass compacts sessions finished more than event_retention_days ago, a bounded number per pass", async () => {
    const p = await project("event_retention_days = 1");
    const agent = await t.db.agent.findFirstOrThrow({ where: { projectId: p.projectId, name: "coder-1" } });
    const ids: number[] = [];
    for (const daysAgo of [3, 2, 0.5]) {
      const story = await createStory(t.db, { projectId: p.projectId, title: `Ran ${daysAgo}`, stage: "done" }, testActor);
      const s = await t.db.agentSession.create({
        data: {
          projectId: p.projectId,
          storyId: story.id,
          agentId: agent.id,
          stage: "coder",
          status: "completed",
          runtime: "command",
          finishedAt: new Date(Date.now() - daysAgo * 86_400_000),
        },
      });
      await t.db.sessionEvent.createMany({ data: Array.from({ length: 30 }, (_, seq) => ({ sessionId: s.id, seq, kind: "thinking", text: `t${seq}` })) });
      ids.push(s.id);
    }
    const compacted = async () =>
      (await t.db.agentSession.findMany({ where: { id: { in: ids }, compactedAt: { not: null } }, select: { id: true }, orderBy: { id: "asc" } })).map(
        (r) => r.id,
      );
    expect(await compactOldSessions(t.db, [p.projectId], log, 1)).toBe(1);
    expect(await compacted()).toEqual([ids[0]]);
    expect(await compactOldSessions(t.db, [p.projectId], log, 1)).toBe(1);
    expect(await compactOldSessions(t.db, [p.projectId], log, 1)).toBe(0);
    expect(await compacted()).toEqual([ids[0], ids[1]]);
    expect(await t.db.sessionEvent.count({ where: { sessionId: ids[0] } })).toBe(0);
    expect(await t.db.sessionEvent.count({ where: { sessionId: ids[2] } })).toBe(30);
  });
});

describe("a merge that lands", () => {
  it("squashes onto main, records the commit, runs component teardown, removes worktrees and branches", async () => {
    const mark = path.join(os.tmpdir(), `drover-teardown-${process.pid}-${Date.now()}`);
    // Unsandboxed, so the teardown's mark lands on the host (sandboxed, /tmp is the run's own).
    const p = await project(`sandbox = false\n\n[[component]]\nname = "web"\npath = "."\nsetup = []\nteardown = ["touch ${mark}"]\n`);
    const s = await createStory(t.db, { projectId: p.projectId, title: "Lands", stage: "merge" }, testActor);
    branch(p, `drover/${s.number}-${s.slug}`, { "new.txt": "new\n" });
    const before = p.git("rev-parse", "main");
    expect(await attemptMerge(t.db, p.projectId, s.id, log)).toBe("done");
    const after = await t.db.story.findUniqueOrThrow({ where: { id: s.id } });
    expect(after.stage).toBe("done");
    expect(after.mergeCommit).toBe(p.git("rev-parse", "main"));
    expect(p.git("diff", "--name-only", before, "main")).toBe("new.txt");
    expect(p.git("log", "-1", "--format=%s", "main")).toBe(`Story #${s.number}: Lands`);
    expect(p.git("symbolic-ref", "--short", "HEAD")).toBe("main");
    expect(fs.existsSync(mark)).toBe(true);
    fs.rmSync(mark, { force: true });
    expect(p.git("branch", "--list")).toBe("* main");
    expect(p.git("worktree", "list").split("\n")).toHaveLength(1);
  });

  it("keep_branches keeps the story and merge-queue branches", async () => {
    const p = await project("keep_branches = true");
    const s = await createStory(t.db, { projectId: p.projectId, title: "Keep", stage: "merge" }, testActor);
    branch(p, `drover/${s.number}-${s.slug}`, { "k.txt": "k\n" });
    expect(await attemptMerge(t.db, p.projectId, s.id, log)).toBe("done");
    const branches = p.git("branch", "--list");
    expect(branches).toContain(`drover/${s.number}-${s.slug}`);
    expect(branches).toContain(`merge-queue/${s.number}`);
  });

  it("a stale merge worktree entry (folder deleted by hand) does not block the next merge", async () => {
    const p = await project();
    const s = await createStory(t.db, { projectId: p.projectId, title: "Stale", stage: "merge" }, testActor);
    branch(p, `drover/${s.number}-${s.slug}`, { "s.txt": "s\n" });
    const stale = path.join(p.repo, ".drover/worktrees", `merge-queue-${s.number}`);
    p.git("worktree", "add", "-q", "-b", `merge-queue/${s.number}`, stale, "main");
    fs.rmSync(stale, { recursive: true, force: true });
    expect(await attemptMerge(t.db, p.projectId, s.id, log)).toBe("done");
    expect(p.git("show", "main:s.txt")).toBe("s");
  });
});

describe("interrupted sessions", () => {
  it("auto-assign resumes a session interrupted by a lost runner, with a note saying so", async () => {
    const p = await project();
    const s = await createStory(t.db, { projectId: p.projectId, title: "Lost", stage: "current" }, testActor);
    const sess = await startAgent(t.db, { projectId: p.projectId, storyNumber: s.number, agentName: "coder-1", trigger: "user" }, testActor);
    await t.db.agentSession.update({ where: { id: sess.id }, data: { status: "interrupted", reason: "runner_lost", finishedAt: new Date() } });
    await autoAssignProject(t.db, p.projectId, log);
    const resumed = await t.db.agentSession.findFirstOrThrow({ where: { storyId: s.id, status: "pending" }, include: { agent: true } });
    expect(resumed).toMatchObject({ trigger: "resume", resumeOfId: sess.id });
    expect(resumed.agent.name).toBe("coder-1");
    expect(resumed.prompt).toContain("interrupted because its runner was lost");
  });
});
