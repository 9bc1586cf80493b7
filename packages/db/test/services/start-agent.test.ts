// startAgent, rule by rule (numbers as in the issue), plus stopAgent.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANNELS, listen } from "../../src/notify.ts";
import {
  blockStory,
  createStory,
  failPendingSession,
  logProjectEvent,
  reloadProjectConfig,
  startAgent,
  stopAgent,
  tickCriterion,
  uniqueViolation,
} from "../../src/services/index.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { projectWithRoster, rejects } from "@drover/db/testing/project-fixtures";
import { repoAccess } from "../../../repo/src/index.ts";
import { testActor } from "../../testing/actors.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

type Stage = "backlog" | "current" | "qa" | "merge" | "done" | "archived";
async function setup(opts: { config?: string } = {}) {
  const project = await projectWithRoster(t.db, opts.config);
  const story = async (stage: Stage = "backlog", extra: { agent?: string } = {}) =>
    createStory(t.db, { projectId: project.id, title: `A story in ${stage}`, stage, criteria: [{ text: "It works", checked: false }], ...extra }, testActor);
  const start = (storyNumber: number, agentName?: string, more: Record<string, unknown> = {}) =>
    startAgent(t.db, { projectId: project.id, storyNumber, agentName, trigger: "user", ...more }, testActor);
  const stageOf = async (n: number) => (await t.db.story.findUniqueOrThrow({ where: { projectId_number: { projectId: project.id, number: n } } })).stage;
  const finish = (sessionId: number, runtimeSessionId?: string) =>
    t.db.agentSession.update({ where: { id: sessionId }, data: { status: "completed", finishedAt: new Date(), runtimeSessionId } });
  return { project, story, start, stageOf, finish };
}

describe("startAgent rules", () => {
  it("rule 1: an explicitly named agent must exist in the roster", async () => {
    const { story, start, project } = await setup();
    const s = await story("current");
    await rejects(start(s.number, "ghost"), "NOT_FOUND", /No agent named ghost/);
    // A removed (disabled) agent is no longer in the roster either.
    await t.db.agent.update({ where: { projectId_name: { projectId: project.id, name: "coder-2" } }, data: { enabled: false } });
    await rejects(start(s.number, "coder-2"), "NOT_FOUND", /No agent named coder-2/);
    expect(await t.db.agentSession.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("rule 2: only a coder start moves a story from backlog to current; qa and mergemaster never move it", async () => {
    const { story, start, stageOf } = await setup();
    const a = await story("backlog");
    await start(a.number, "coder-1");
    expect(await stageOf(a.number)).toBe("current");
    const b = await story("backlog");
    await start(b.number); // implicit coder start
    expect(await stageOf(b.number)).toBe("current");
    const c = await story("backlog");
    await rejects(start(c.number, "qa-1"), "PRECONDITION_FAILED", /qa-1 is a qa agent/);
    expect(await stageOf(c.number)).toBe("backlog");
    const d = await story("merge");
    await rejects(start(d.number, "qa-1"), "PRECONDITION_FAILED", /is in merge/);
    expect(await stageOf(d.number)).toBe("merge");
    const e = await story("qa");
    await start(e.number, "qa-1");
    expect(await stageOf(e.number)).toBe("qa");
  });

  it("rule 3: the agent's stage must match the story's stage (other works anywhere)", async () => {
    const { story, start } = await setup();
    const q = await story("qa");
    await rejects(start(q.number, "coder-1"), "PRECONDITION_FAILED", /coder-1 is a coder agent and works on stories in current, but story \d+ is in qa/);
    await rejects(start(q.number), "PRECONDITION_FAILED", /With no agent named a coder is started/);
    const c = await story("current");
    await rejects(start(c.number, "merger"), "PRECONDITION_FAILED", /merger is a mergemaster agent and works on stories in merge/);
    const m = await story("merge");
    expect((await start(m.number, "merger")).stage).toBe("mergemaster");
    expect((await start(q.number, "helper")).stage).toBe("other");
  });

  it("rule 4: the pin is honoured when free, queued when busy, ignored when not a coder", async () => {
    const { story, start, stageOf } = await setup();
    const pinned = await story("backlog", { agent: "coder-2" });
    const s1 = await start(pinned.number);
    expect(s1.agentId).toBe((await t.db.agent.findFirstOrThrow({ where: { name: "coder-2", projectId: s1.projectId } })).id);

    const busyPin = await story("backlog", { agent: "coder-2" });
    await rejects(start(busyPin.number), "CONFLICT", /^preferred agent coder-2 is busy; story queued in current and will be auto-assigned$/);
    expect(await stageOf(busyPin.number)).toBe("current"); // queued in current

    const qaPin = await story("current", { agent: "qa-1" });
    const s2 = await start(qaPin.number);
    const a2 = await t.db.agent.findUniqueOrThrow({ where: { id: s2.agentId } });
    expect(a2.name).toBe("coder-1"); // fell back to a free coder
  });

  it("rule 4: all coders busy; only default_coder_model coders are auto-assigned", async () => {
    const { story, start, stageOf } = await setup({
      config: `default_coder_model = "sonnet"\n[[agent]]\nname = "c1"\nstage = "coder"\nmodel = "sonnet"\n[[agent]]\nname = "big"\nstage = "coder"\nmodel = "opus"\n`,
    });
    const a = await story("current");
    const sa = await start(a.number);
    expect((await t.db.agent.findUniqueOrThrow({ where: { id: sa.agentId } })).name).toBe("c1");
    const b = await story("backlog");
    // "big" is free, but its model is not the default: it needs an explicit pin.
    await rejects(start(b.number), "CONFLICT", /^all coders busy; story queued$/);
    expect(await stageOf(b.number)).toBe("current");
    const sb = await start(b.number, "big");
    expect(sb.model).toBe("opus");
  });

  it("rule 4: max_coders caps implicit starts", async () => {
    const { story, start } = await setup({ config: `max_coders = 1\n[[agent]]\nname = "c1"\nstage = "coder"\n[[agent]]\nname = "c2"\nstage = "coder"\n` });
    await start((await story("current")).number);
    await rejects(start((await story("current")).number), "CONFLICT", /all coders busy; story queued \(max_coders = 1 reached\)/);
  });

  it("rule 4: no coder configured", async () => {
    const { story, start } = await setup({ config: `[[agent]]\nname = "q"\nstage = "qa"\n` });
    await rejects(start((await story("backlog")).number), "PRECONDITION_FAILED", /no coder agent configured/);
  });

  it("rule 5: the same agent already pending or running on the story is rejected", async () => {
    const { story, start } = await setup();
    const s = await story("current");
    const first = await start(s.number, "helper");
    await rejects(start(s.number, "helper"), "CONFLICT", /helper is already pending on story/);
    await t.db.agentSession.update({ where: { id: first.id }, data: { status: "running" } });
    await rejects(start(s.number, "helper"), "CONFLICT", /helper is already running on story/);
  });

  it("rule 6: another agent of the same stage on the story is rejected; other is exempt", async () => {
    const { story, start } = await setup();
    const s = await story("current");
    await start(s.number, "coder-1");
    await rejects(start(s.number, "coder-2"), "CONFLICT", /already has coder coder-1 pending/);
    await rejects(start(s.number), "CONFLICT", /already has coder coder-1 pending/);
    expect((await start(s.number, "helper")).status).toBe("pending");
  });

  it("rule 7: a named agent busy on another story is rejected; the story waits for it", async () => {
    const { story, start, stageOf, project } = await setup();
    const a = await story("current");
    await start(a.number, "coder-1");
    const b = await story("backlog");
    await rejects(start(b.number, "coder-1"), "CONFLICT", /coder-1 is busy on story \d+; story \d+ will be picked up when the agent becomes available/);
    const row = await t.db.story.findUniqueOrThrow({ where: { projectId_number: { projectId: project.id, number: b.number } } });
    expect(row.stage).toBe("current");
    expect(row.agent).toBe("coder-1");
    expect(await stageOf(b.number)).toBe("current");
  });

  it("rule 8: the session is registered pending with everything the runner needs; a failed one stops blocking", async () => {
    const { story, start, project } = await setup();
    const s = await story("backlog");
    const session = await start(s.number, "coder-1", { context: "Mind the tests" });
    expect(session.status).toBe("pending");
    expect(session.runtime).toBe("claude-code");
    expect(session.model).toBe("sonnet");
    expect(session.stage).toBe("coder");
    expect(session.branch).toBe(`drover/${s.number}-${s.slug}`);
    expect(session.worktreePath).toBe(path.join(project.repoPath, ".drover/worktrees", `${s.number}-${s.slug}`));
    expect(session.baseBranch).toBe("main");
    expect(session.trigger).toBe("user");
    expect(session.resumeRuntimeSessionId).toBeNull();
    // Rendered template: every variable substituted.
    expect(session.prompt).toContain(`You are coder-1 on story ${s.number} (${s.title}) in ${session.worktreePath} on ${session.branch} from main.`);
    expect(session.prompt).toContain("## Acceptance Criteria");
    expect(session.prompt).toMatch(/Mind the tests$/);
    expect(session.freshPrompt).toBe(session.prompt);

    // The pending row blocks the agent until it fails, then the agent is free again.
    await rejects(start((await story("current")).number, "coder-1"), "CONFLICT", /busy/);
    expect(await failPendingSession(t.db, { sessionId: session.id, reason: "spawn_error", message: "claude not found" }, testActor)).toBe(true);
    const failed = await t.db.agentSession.findUniqueOrThrow({ where: { id: session.id } });
    expect([failed.status, failed.reason, failed.message]).toEqual(["failed", "spawn_error", "claude not found"]);
    expect(await failPendingSession(t.db, { sessionId: session.id, reason: "x", message: "y" }, testActor)).toBe(false);
    expect((await start(s.number)).status).toBe("pending");
  });

  it("rule 8: the database itself refuses a second active session for an agent or story stage", async () => {
    const { story, start } = await setup();
    const s = await story("current");
    const first = await start(s.number, "coder-1");
    const base = { projectId: first.projectId, storyId: first.storyId, runtime: "claude-code", status: "pending" as const };
    const err1 = await t.db.agentSession.create({ data: { ...base, agentId: first.agentId, stage: "other" } }).catch((e: unknown) => e);
    expect(uniqueViolation(err1)).toBe("agent_sessions_one_active_per_agent");
    const other = await t.db.agent.findFirstOrThrow({ where: { projectId: first.projectId, name: "coder-2" } });
    const err2 = await t.db.agentSession.create({ data: { ...base, agentId: other.id, stage: "coder" } }).catch((e: unknown) => e);
    expect(uniqueViolation(err2), String(err2)).toBe("agent_sessions_one_active_per_story_stage");
  });

  it("rule 9: activity missed since the agent's last session is prepended as <recent-events>", async () => {
    const { story, start, finish, project } = await setup();
    const s = await story("current");
    const first = await start(s.number, "coder-1");
    expect(first.prompt).not.toContain("<recent-events>");
    await finish(first.id);
    await new Promise((r) => setTimeout(r, 20));
    await tickCriterion(t.db, { projectId: project.id, storyNumber: s.number, index: 0, checked: true }, testActor);
    await blockStory(t.db, { projectId: project.id, storyNumber: s.number, reason: "waiting for API keys" }, testActor);
    await logProjectEvent(t.db, { projectId: project.id, storyId: s.id, agentName: "coder-1", kind: "note", message: "my own note", actor: testActor });
    await logProjectEvent(t.db, { projectId: project.id, storyId: s.id, agentName: "qa-1", kind: "note", message: "qa says hi", actor: testActor });
    const second = await start(s.number, "coder-1", { fresh: true });
    const block = /^<recent-events>\n([\s\S]*?)\n<\/recent-events>\n\n/.exec(second.prompt ?? "");
    expect(block).not.toBeNull();
    const lines = block![1]!.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/\[criterion_ticked\] Story \d+: checked/);
    expect(lines[1]).toMatch(/\[story_blocked\] .*waiting for API keys/);
    expect(lines[2]).toMatch(/\[note\] qa-1: qa says hi/);
    expect(second.prompt).not.toContain("my own note");
    expect(second.prompt).toContain("You are coder-1");
  });

  it("rule 10: the runtime session is resumed by story, agent and model; a model change or fresh starts over", async () => {
    const { story, start, finish, project } = await setup();
    const s = await story("current");
    const first = await start(s.number, "coder-1");
    await finish(first.id, "rt-sonnet-1");
    const resumed = await start(s.number, "coder-1", { context: "Fix the failing test", resumeOfSessionId: first.id, trigger: "resume" });
    expect(resumed.resumeRuntimeSessionId).toBe("rt-sonnet-1");
    expect(resumed.resumeOfId).toBe(first.id);
    expect(resumed.prompt).toBe("Fix the failing test");
    expect(resumed.freshPrompt).toContain("You are coder-1");
    expect(resumed.freshPrompt).toMatch(/Fix the failing test$/);
    await finish(resumed.id, "rt-sonnet-2");
    expect((await start(s.number, "coder-1", { fresh: true })).resumeRuntimeSessionId).toBeNull();
    await t.db.agentSession.updateMany({ where: { storyId: s.id, status: "pending" }, data: { status: "stopped" } });
    expect((await start(s.number, "coder-1")).resumeRuntimeSessionId).toBe("rt-sonnet-2");
    await t.db.agentSession.updateMany({ where: { storyId: s.id, status: "pending" }, data: { status: "stopped" } });
    // Change coder-1's model: the sonnet sessions no longer apply.
    const file = path.join(project.repoPath, ".drover/project.toml");
    fs.writeFileSync(
      file,
      fs.readFileSync(file, "utf8").replace(`name = "coder-1"\nstage = "coder"\nmodel = "sonnet"`, `name = "coder-1"\nstage = "coder"\nmodel = "opus"`),
    );
    expect((await reloadProjectConfig(t.db, project.id, repoAccess, testActor)).sync.updated).toEqual(["coder-1"]);
    const opus = await start(s.number, "coder-1");
    expect(opus.model).toBe("opus");
    expect(opus.resumeRuntimeSessionId).toBeNull();
    expect(opus.prompt).toContain("You are coder-1");
  });
});

describe("stopAgent", () => {
  it("an auto-assign start re-checks the story under its lock: blocked, held, waiting on depends_on or on a verdict is refused", async () => {
    const { story, start, project, finish } = await setup();
    const auto = (n: number) => start(n, undefined, { trigger: "auto_assign", autoAssign: true });
    // Blocked after the planner's snapshot was taken.
    const a = await story("current");
    await blockStory(t.db, { projectId: project.id, storyNumber: a.number, reason: "gate_failed after 2 retries" }, testActor);
    await rejects(auto(a.number), "CONFLICT", /no longer up for auto-assign: blocked/);
    // Held for human review.
    const b = await story("current");
    await t.db.story.update({ where: { id: b.id }, data: { reviewHold: true } });
    await rejects(auto(b.number), "CONFLICT", /waiting for human review/);
    // Depends on a story that is not done.
    const c = await story("current");
    await t.db.story.update({ where: { id: c.id }, data: { dependsOn: [a.number] } });
    await rejects(auto(c.number), "CONFLICT", /depends on #\d+ not done/);
    // Its last coder session ended and the pipeline has not applied its decision yet.
    const d = await story("current");
    const first = await auto(d.number);
    await finish(first.id);
    await rejects(auto(d.number), "CONFLICT", /waiting for the pipeline's decision/);
    // Its agent is kept for that verdict too (it may retry it here): not given another story.
    const e = await story("current");
    const agentOfFirst = (await t.db.agent.findUniqueOrThrow({ where: { id: first.agentId } })).name;
    await rejects(
      start(e.number, agentOfFirst, { trigger: "auto_assign", autoAssign: true }),
      "CONFLICT",
      /waiting for the pipeline's decision on its last session/,
    );
    await t.db.agentSession.update({ where: { id: first.id }, data: { handledAt: new Date() } });
    expect((await auto(d.number)).trigger).toBe("auto_assign");
    // A person's start is not bound by auto-assign's conditions.
    expect((await start(c.number, "coder-2")).status).toBe("pending");
    expect(await t.db.agentSession.count({ where: { storyId: { in: [a.id, b.id] } } })).toBe(0);
  });

  it("stops a pending session at once and asks the runner to stop a running one", async () => {
    const { story, start, project } = await setup();
    const got: Array<Record<string, unknown>> = [];
    const l = listen(t.url, [CHANNELS.sessions], (_c, p) => got.push(p));
    await new Promise((r) => setTimeout(r, 300));
    const a = await story("current");
    const pending = await start(a.number, "coder-1");
    expect(await stopAgent(t.db, { projectId: project.id, storyNumber: a.number, agentName: "coder-1" }, testActor)).toEqual({
      sessionId: pending.id,
      result: "stopped",
      heldBy: "Test User",
    });
    expect((await t.db.agentSession.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("stopped");

    const b = await story("current");
    const running = await start(b.number, "coder-2");
    await t.db.agentSession.update({ where: { id: running.id }, data: { status: "running" } });
    expect((await stopAgent(t.db, { projectId: project.id, storyNumber: b.number, agentName: "coder-2" }, testActor)).result).toBe("stop_requested");
    const row = await t.db.agentSession.findUniqueOrThrow({ where: { id: running.id } });
    expect(row.status).toBe("running");
    expect(row.stopRequestedAt).toBeInstanceOf(Date);
    await expect.poll(() => got.some((p) => p.sessionId === running.id && p.stop === true), { timeout: 10_000 }).toBe(true);
    await l.close();
    await rejects(stopAgent(t.db, { projectId: project.id, storyNumber: b.number, agentName: "qa-1" }, testActor), "NOT_FOUND", /qa-1 is not running on story/);
  });
});
