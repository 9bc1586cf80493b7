// The whole pipeline end to end: a real repository, two real `drover runner` processes with the
// pipeline hooks, deterministic `command` agents (fixtures/agent.mjs), real gates, real merges.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { addProject } from "@drover/db/services/projects";
import { createStory } from "@drover/db/services/stories";
import { startAgent } from "@drover/db/services/agents";
import { approveStory, rejectStory } from "@drover/db/services/review";
import { repoAccess } from "@drover/repo";
import { testActor } from "@drover/db/testing/actors";

const repoRoot = path.resolve(import.meta.dirname, "../../../..");
const cliMain = path.join(repoRoot, "apps/runner/src/cli/main.ts");
const AGENT = path.join(import.meta.dirname, "fixtures/agent.mjs");
const GATE = path.join(import.meta.dirname, "fixtures/gate.mjs");

let t: TestDatabase;
let repo: string;
let logDir: string;
let projectId: number;
const runners: Array<{ proc: ChildProcess; out: () => string }> = [];
const git = (...a: string[]) => execFileSync("git", a, { cwd: repo, encoding: "utf8" }).trim();

async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 180_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) {
      const board = await t.db.story.findMany({
        where: { projectId },
        orderBy: { number: "asc" },
        select: { number: true, stage: true, blocked: true, blockedReason: true, mergeFailure: true, reviewHold: true, retryCount: true },
      });
      throw new Error(`Timed out waiting for ${what}\n${JSON.stringify(board, null, 1)}\n${runners.map((r) => r.out().slice(-3000)).join("\n----\n")}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function spawnRunner(name: string): Promise<void> {
  const proc = spawn(
    process.execPath,
    ["--import", "tsx", cliMain, "runner", "--id", name, "--data-dir", path.join(logDir, name), "--poll-ms", "500", "--heartbeat-secs", "1", "--capacity", "3"],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: t.url, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  proc.stdout!.on("data", (c) => (out = (out + c).slice(-200_000)));
  proc.stderr!.on("data", (c) => (out = (out + c).slice(-200_000)));
  runners.push({ proc, out: () => out });
  return waitFor(async () => out.includes('"runnerId"'), `runner ${name} to start`, 60_000).then(() => undefined);
}

const story = (n: number) => t.db.story.findUniqueOrThrow({ where: { projectId_number: { projectId, number: n } } });
const sessionsOf = async (n: number) =>
  t.db.agentSession.findMany({ where: { storyId: (await story(n)).id }, orderBy: { id: "asc" }, include: { agent: true } });
// The agent leaves its prompt in its session HOME (<data dir>/sessions/<id>/home), under whichever runner ran it.
const promptOf = (sessionId: number) => {
  const homes = ["runner-a", "runner-b"].map((r) => path.join(logDir, r, "sessions", String(sessionId), "home", "prompt.txt"));
  return fs.readFileSync(homes.find((f) => fs.existsSync(f)) ?? homes[0]!, "utf8");
};
const untilStage = (n: number, stage: string, extra?: (s: Awaited<ReturnType<typeof story>>) => boolean) =>
  waitFor(async () => {
    const s = await story(n);
    return s.stage === stage && (!extra || extra(s)) ? s : undefined;
  }, `story ${n} in ${stage}`);

const toml = (node: string) => `
default_qa = "server"
max_retries = 2
max_coders = 3
gates = ["${node} script/gate.mjs"]
gate_timeout_secs = 120
done_retention_secs = 100000

${["coder-1", "coder-2", "coder-3"].map((n) => `[[agent]]\nname = "${n}"\nstage = "coder"\nruntime = "command"\ncommand = ["${node}", "script/agent.mjs", "coder"]\n`).join("\n")}
[[agent]]
name = "qa-1"
stage = "qa"
runtime = "command"
command = ["${node}", "script/agent.mjs", "qa"]

[[agent]]
name = "merger"
stage = "mergemaster"
runtime = "command"
command = ["${node}", "script/agent.mjs", "mergemaster"]
`;

beforeAll(async () => {
  t = await createTestDatabase();
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-e2e-log-"));
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "drover-e2e-repo-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "e2e@example.com");
  git("config", "user.name", "E2E");
  fs.mkdirSync(path.join(repo, ".drover"));
  fs.mkdirSync(path.join(repo, "script"));
  fs.writeFileSync(path.join(repo, ".drover/project.toml"), toml(process.execPath));
  fs.copyFileSync(GATE, path.join(repo, "script/gate.mjs"));
  // Agents run sandboxed: they see their worktree, not this test folder, so the script is in the repository.
  fs.copyFileSync(AGENT, path.join(repo, "script/agent.mjs"));
  fs.writeFileSync(path.join(repo, "shared.txt"), "base\n");
  git("add", "-A");
  git("commit", "-q", "-m", "init");
  const added = await addProject(t.db, { repoPath: repo, name: "e2e" }, repoAccess, testActor);
  projectId = added.project.id;
  await spawnRunner("runner-a");
  await spawnRunner("runner-b");
}, 180_000);

afterAll(async () => {
  for (const r of runners) r.proc.kill("SIGTERM");
  await Promise.all(runners.map((r) => new Promise((res) => (r.proc.exitCode !== null ? res(null) : r.proc.once("exit", res)))));
  await t?.drop();
  fs.rmSync(repo, { recursive: true, force: true });
  fs.rmSync(logDir, { recursive: true, force: true });
}, 120_000);

describe("pipeline end to end (two runners)", () => {
  it("drives stories through gates, retries, QA, conflicts and dependencies to done with their code on main", { timeout: 600_000 }, async () => {
    const mk = (title: string, body: string, extra: Record<string, unknown> = {}) =>
      createStory(t.db, { projectId, title, body: `# ${title}\n\n${body}\n`, stage: "current", ...extra }, testActor);

    // 1: backlog → current by starting it, then server QA → merge → done
    const s1 = await createStory(t.db, { projectId, title: "Happy path", body: "# Happy\n\n@e2e write feature-1.txt hello-1\n" }, testActor);
    expect(s1.stage).toBe("backlog");
    await startAgent(t.db, { projectId, storyNumber: s1.number, trigger: "user" }, testActor);
    // 2: gate fails once, the retry sees the failure text and fixes it
    const s2 = await mk("Retry then pass", "@e2e write feature-2.txt two\n@e2e broken-once");
    // 3: gate always fails → blocked after max_retries (2)
    const s3 = await mk("Always broken", "@e2e write feature-3.txt three\n@e2e always-broken");
    // 4 and 5: both change shared.txt from the same base → the second merge conflicts → mergemaster
    const s4 = await mk("Shared A", "@e2e write shared.txt from-four\n@e2e wait-go");
    const s5 = await mk("Shared B", "@e2e write shared.txt from-five\n@e2e wait-go");
    // 6: human QA, rejected once then approved
    const s6 = await mk("Human review", "@e2e write feature-6.txt six", { qa: "human" });
    // 7 depends on 8
    const s8pre = await mk("Depends on the next", "@e2e write feature-7.txt seven");
    const s8 = await mk("Dependency", "@e2e write feature-8.txt eight");
    await t.db.story.update({ where: { id: s8pre.id }, data: { dependsOn: [s8.number] } });
    // 9: agent QA
    const s9 = await mk("Agent QA", "@e2e write feature-9.txt nine", { qa: "agent" });
    const backlog = await mk("Never started", "@e2e write never.txt x", { stage: "backlog" });

    // Release the two conflicting coders together once both are running (same base).
    await waitFor(async () => {
      const n = await t.db.agentSession.count({ where: { storyId: { in: [s4.id, s5.id] }, status: "running" } });
      return n === 2;
    }, "both conflicting coders running");
    // The go signal is a ref: a sandboxed agent sees the repository's git dir (read-only), not this test's folders.
    git("update-ref", `refs/e2e/go-${s4.number}`, "HEAD");
    git("update-ref", `refs/e2e/go-${s5.number}`, "HEAD");

    // Human QA: waits in qa with a review hold; reject with notes → current, coder restarted with the notes
    await untilStage(s6.number, "qa", (s) => s.reviewHold);
    const rej = await rejectStory(t.db, { projectId, storyNumber: s6.number, notes: "REVIEW-NOTE: please add the review fix file" }, testActor);
    // The coder restarts with the notes: started here, or by auto-assign if it won the race (the notes are in the body either way).
    if (!rej.session) expect(rej.startError).toMatch(/busy|already/);
    expect((await story(s6.number)).body).toContain("REVIEW-NOTE: please add the review fix file");
    await untilStage(s6.number, "qa", (s) => s.reviewHold);
    await approveStory(t.db, { projectId, storyNumber: s6.number }, testActor);

    for (const s of [s1, s2, s4, s5, s6, s8pre, s8, s9]) await untilStage(s.number, "done");
    const blocked = await waitFor(async () => {
      const s = await story(s3.number);
      return s.blocked ? s : undefined;
    }, "story 3 blocked");

    // --- 1: the change is on main, one commit with number and title, main checkout on main
    expect(git("symbolic-ref", "--short", "HEAD")).toBe("main");
    expect(git("show", "main:feature-1.txt")).toBe("hello-1");
    const subjects = git("log", "--format=%s", "main").split("\n");
    for (const s of [s1, s2, s4, s5, s6, s8pre, s8, s9]) {
      expect(
        subjects.filter((x) => x.startsWith(`Story #${s.number}:`)),
        `one commit for story ${s.number}`,
      ).toHaveLength(1);
      const row = await story(s.number);
      expect(row.mergeCommit).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(git("status", "--porcelain")).toBe("");

    // --- 2: retried with the failure text in the next prompt, then done
    const c2 = (await sessionsOf(s2.number)).filter((x) => x.stage === "coder");
    expect(c2.map((x) => [x.status, x.reason])).toEqual([
      ["failed", "gate_failed"],
      ["completed", "completed"],
    ]);
    expect(promptOf(c2[1].id)).toContain("GATE FAILURE: feature-2.txt contains BROKEN");
    expect(c2[1].trigger).toBe("retry");
    expect((c2[0].report as { gates: Array<{ exitCode: number }> }).gates[0].exitCode).toBe(1);
    expect(git("show", "main:feature-2.txt")).toBe("two");

    // --- 3: blocked after max_retries: 1 run + 2 retries, reason says why; never merged
    const c3 = (await sessionsOf(s3.number)).filter((x) => x.stage === "coder");
    expect(c3).toHaveLength(3);
    expect(c3.every((x) => x.reason === "gate_failed")).toBe(true);
    expect(blocked.retryCount).toBe(2);
    expect(blocked.blockedReason).toContain("gate_failed after 2 retries");
    expect(blocked.stage).toBe("current");
    expect(() => git("show", "main:feature-3.txt")).toThrow();

    // --- 4/5: a conflict fixed by the mergemaster; both sides on main, no markers
    const mm = await t.db.agentSession.findMany({ where: { storyId: { in: [s4.id, s5.id] }, stage: "mergemaster" } });
    expect(mm.length).toBeGreaterThanOrEqual(1);
    expect(mm.some((m) => m.status === "completed")).toBe(true);
    expect(mm[0].worktreePath).toContain("merge-queue-");
    const shared = git("show", "main:shared.txt");
    expect(shared).toContain("from-four");
    expect(shared).toContain("from-five");
    expect(shared).not.toMatch(/^(<{7}|={7}|>{7})/m);

    // --- 6: reject restarted the coder with the notes; approval merged it
    const c6 = (await sessionsOf(s6.number)).filter((x) => x.stage === "coder");
    expect(c6.length).toBe(2);
    expect(promptOf(c6[1].id)).toContain("REVIEW-NOTE: please add the review fix file");
    expect(git("show", `main:review-fix-${s6.number}.txt`)).toBe("addressed");

    // --- 7/8: the dependent story started only after its dependency was done
    const first7 = (await sessionsOf(s8pre.number))[0];
    const merged8 = await t.db.projectEvent.findFirstOrThrow({ where: { storyId: s8.id, kind: "merged" } });
    expect(first7.createdAt.getTime()).toBeGreaterThanOrEqual(merged8.at.getTime());

    // --- 9: a QA agent ran and passed before the merge
    const q9 = (await sessionsOf(s9.number)).filter((x) => x.stage === "qa");
    expect(q9.map((x) => x.status)).toEqual(["completed"]);

    // backlog is never auto-started
    expect(await t.db.agentSession.count({ where: { storyId: backlog.id } })).toBe(0);
    expect((await story(backlog.number)).stage).toBe("backlog");

    // --- two runners: no story advanced twice (one merge event, one move per transition)
    const merged = await t.db.projectEvent.groupBy({ by: ["storyId"], where: { projectId, kind: "merged" }, _count: true });
    expect(merged.every((m) => m._count === 1)).toBe(true);
    const moves = await t.db.projectEvent.findMany({ where: { projectId, kind: "story_moved" } });
    const toDone = moves.filter((m) => (m.payload as { to?: string }).to === "done");
    expect(new Set(toDone.map((m) => m.storyId)).size).toBe(toDone.length);
    // both runners did work
    const byRunner = await t.db.agentSession.groupBy({ by: ["runnerId"], where: { projectId }, _count: true });
    expect(byRunner.filter((r) => r.runnerId).length).toBe(2);
    // worktrees torn down and branches deleted for merged stories
    const branches = git("branch", "--list")
      .split("\n")
      .map((b) => b.replace(/^[*+ ]+/, ""));
    expect(branches.filter((b) => b.startsWith("merge-queue/"))).toEqual([]);
    expect(branches.some((b) => b.startsWith(`drover/${s1.number}-`))).toBe(false);
  });
});
