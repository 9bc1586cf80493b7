// End-to-end runtime tests: the real runner (in process) spawning the real agent CLIs from npm
// against local mock model servers. Rows are inserted directly with Prisma, as startAgent would.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll } from "vitest";
import type { Db } from "@drover/db";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import type { RunnerHandle } from "../../src/runner/start-runner.ts";
import { startTestRunner } from "../fixtures/test-runner.ts";
import { startMockModel, type MockModelServer } from "../mock-models/server.ts";
import { cliExecutable } from "./cli-executables.ts";
import { syncRosterText } from "@drover/db/testing/roster-text";
import { allCredentialVariables } from "@drover/core/runtimes/credentials";

const runnerDir = path.resolve(import.meta.dirname, "../..");
const binDir = path.join(runnerDir, "node_modules/.bin");

/** Puts the CLIs from apps/runner's devDependencies on PATH, Claude Code's native binary in place. */
export function ensureClis(): void {
  if (!(process.env.PATH ?? "").split(path.delimiter).includes(binDir)) process.env.PATH = `${binDir}${path.delimiter}${process.env.PATH ?? ""}`;
  cliExecutable("claude");
}

export interface Env {
  t: TestDatabase;
  runner: RunnerHandle;
  dataDir: string;
  repo: string;
  projectId: number;
}

export async function startEnv(prices: Record<string, unknown> = {}): Promise<Env> {
  ensureClis();
  const t = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-e2e-rt-"));
  const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-e2e-repo-")));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "Test");
  fs.writeFileSync(path.join(repo, "README.md"), "# e2e\n");
  git("add", ".");
  git("commit", "-q", "-m", "init");
  const project = await t.db.project.create({ data: { name: `rt-${path.basename(repo)}`, repoPath: repo, baseBranch: "main", config: { prices } as object } });
  const runner = await startTestRunner({
    databaseUrl: t.url,
    // The tests' keys are in the roster: a developer's exported key must not replace them.
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !allCredentialVariables.has(k))),
    leaseSecs: 20,
    dataDir,
  });
  return { t, runner, dataDir, repo, projectId: project.id };
}

export async function stopEnv(env: Env | undefined): Promise<void> {
  await env?.runner.stop();
  await env?.t.drop();
}

/**
 * One environment per test file (started before its tests, torn down after) and a `mock` that
 * starts a mock model server closed with it. `suite.env` is set once beforeAll has run.
 */
export function runtimeSuite(prices: Record<string, unknown> = {}) {
  const mocks: MockModelServer[] = [];
  const suite = {
    env: undefined as unknown as Env,
    mock: async (...args: Parameters<typeof startMockModel>) => {
      const m = await startMockModel(...args);
      mocks.push(m);
      return m;
    },
  };
  beforeAll(async () => {
    suite.env = await startEnv(prices);
  });
  afterAll(async () => {
    await stopEnv(suite.env);
    await Promise.all(mocks.map((m) => m.close()));
  });
  return suite;
}

export interface SessionSpec {
  agent: string;
  runtime: "claude-code" | "gemini" | "codex";
  model: string;
  env: Record<string, string>;
  storyNumber: number;
  prompt: string;
  maxTurns?: number;
  resumeRuntimeSessionId?: string;
  freshPrompt?: string;
  /** More roster keys for the agent (permission_mode, network_allow ...). */
  config?: Record<string, unknown>;
}

/** Where the runner will put the story's worktree (given explicitly so the mock can name files in it). */
export function worktreeOf(env: Env, storyNumber: number): string {
  return path.join(env.repo, ".drover", "worktrees", `${storyNumber}-story-${storyNumber}`);
}

export async function createSession(env: Env, s: SessionSpec) {
  const db: Db = env.t.db;
  const story = await db.story.upsert({
    where: { projectId_number: { projectId: env.projectId, number: s.storyNumber } },
    create: { projectId: env.projectId, number: s.storyNumber, slug: `story-${s.storyNumber}`, title: `Story ${s.storyNumber}`, stage: "current" },
    update: {},
  });
  const config = {
    name: s.agent,
    runtime: s.runtime,
    model: s.model,
    stage: "coder",
    inactivity_timeout_secs: 90,
    env: s.env,
    ...(s.maxTurns !== undefined ? { max_turns: s.maxTurns } : {}),
    ...s.config,
  };
  const agent = await db.agent.upsert({
    where: { projectId_name: { projectId: env.projectId, name: s.agent } },
    create: { projectId: env.projectId, name: s.agent, stage: "coder", runtime: s.runtime, model: s.model, config },
    update: { config },
  });
  await syncRosterText(db, env.projectId);
  return db.agentSession.create({
    data: {
      projectId: env.projectId,
      storyId: story.id,
      agentId: agent.id,
      stage: "coder",
      runtime: s.runtime,
      model: s.model,
      prompt: s.prompt,
      worktreePath: worktreeOf(env, s.storyNumber),
      resumeRuntimeSessionId: s.resumeRuntimeSessionId,
      freshPrompt: s.freshPrompt,
    },
  });
}

export async function waitEnded(env: Env, id: number, timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await env.t.db.agentSession.findUniqueOrThrow({ where: { id } });
    if (["completed", "failed", "stopped", "interrupted"].includes(s.status)) return s;
    if (Date.now() > end) throw new Error(`session ${id} still ${s.status} after ${timeoutMs} ms; its log:\n${(await logText(env, id)).slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function eventsOf(env: Env, sessionId: number) {
  return env.t.db.sessionEvent.findMany({ where: { sessionId }, orderBy: { seq: "asc" } });
}

/** Text of every event of a session, for "the CLI's own words are visible" checks. */
export async function logText(env: Env, sessionId: number): Promise<string> {
  return (await eventsOf(env, sessionId)).map((e) => `${e.kind}: ${e.text ?? ""} ${JSON.stringify(e.payload ?? "")}`).join("\n");
}
