// Shared test fixtures: the app's base URL, a database client for arranging data through the
// domain services, and screenshots saved under test-results/screenshots/.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test as base, expect, type Page } from "@playwright/test";
import { createDb, type Db, type Prisma } from "@drover/db";
import { createStory } from "@drover/db/services/index";
import type { Seeded } from "./seed.ts";
import { testActor } from "@drover/db/testing/actors";
import { allCredentialVariables } from "@drover/core/runtimes/credentials";
import { cliExecutable } from "../../../runner/test/e2e-runtimes/cli-executables.ts";

const shotDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test-results/screenshots");

export function seeded(): Seeded {
  return JSON.parse(process.env.DROVER_E2E_SEED ?? "{}") as Seeded;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

/** A screenshot an issue asks for, at a stable path: test-results/artifacts/<issue>/<name>.png. */
export async function artifact(page: Page, issue: number, name: string): Promise<string> {
  const file = path.resolve(shotDir, "..", "artifacts", String(issue), `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

let shared: Db | undefined;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

type AgentCli = "claude" | "codex" | "gemini";

/**
 * A folder with the given real CLIs from apps/runner's devDependencies, for a runner's PATH. The shared
 * runner gets `claude` and `gemini` (mcp-ask-human.spec.ts runs them), never codex: onboarding.spec.ts
 * shows what a missing CLI looks like.
 */
function agentCliBin(clis: readonly AgentCli[]): string {
  const dir = path.join(process.env.DROVER_E2E_TMP!, `agent-clis-${clis.join("-")}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const cli of clis) {
    const link = path.join(dir, cli);
    if (!fs.existsSync(link)) fs.symlinkSync(cliExecutable(cli), link);
  }
  return dir;
}

/**
 * Starts `drover runner` against the test database, with `clis` on its PATH; its log is
 * e2e-logs/<name>.log and its data folder <tmp>/<name>. Stop it with `stopRunner` (its whole process group).
 */
export async function startRunner(o: { name: string; clis: readonly AgentCli[]; args?: string[] }): Promise<ChildProcess> {
  const logDir = path.resolve(shotDir, "../e2e-logs");
  fs.mkdirSync(logDir, { recursive: true });
  const out = fs.openSync(path.join(logDir, `${o.name}.log`), "a");
  const args = ["exec", "tsx", "apps/runner/src/cli/main.ts", "runner", "--capacity", "4", "--poll-ms", "500", "--grace-secs", "2"];
  args.push("--data-dir", path.join(process.env.DROVER_E2E_TMP!, o.name), ...(o.args ?? []));
  // The demo autopilot promotes after 4 idle seconds here (45 by default), so demo.spec.ts sees several promotions.
  // The web's data folder: runners open what the web sealed or stored with its secret key (as `drover up` does).
  // Agents' keys come from their rosters: a developer's exported key must not replace them.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: "info",
    DROVER_DEMO_PROMOTE_SECS: "4",
    DROVER_DATA_DIR: path.join(process.env.DROVER_E2E_TMP!, "data"),
    PATH: `${agentCliBin(o.clis)}${path.delimiter}${process.env.PATH ?? ""}`,
  };
  for (const k of allCredentialVariables) delete env[k];
  return spawn("pnpm", args, { cwd: repoRoot, env, stdio: ["ignore", out, out], detached: true });
}

export async function stopRunner(p: ChildProcess): Promise<void> {
  if (!p.pid || p.exitCode !== null) return;
  const exited = new Promise<void>((r) => p.once("exit", () => r()));
  process.kill(-p.pid, "SIGTERM");
  const t = setTimeout(() => {
    try {
      process.kill(-p.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
  }, 15_000);
  await exited;
  clearTimeout(t);
}

export const test = base.extend<{ db: Db }, { runner: ChildProcess }>({
  baseURL: async ({}, use) => use(process.env.DROVER_E2E_BASE_URL),
  runner: [
    async ({}, use) => {
      const p = await startRunner({ name: "runner", clis: ["claude", "gemini"] });
      await use(p);
      await stopRunner(p);
    },
    { scope: "worker" },
  ],
  db: async ({}, use) => {
    shared ??= createDb(process.env.DATABASE_URL!, { max: 2 });
    await use(shared);
  },
});

/** A short random word (letters only, so searching by number never matches it). */
export function uid(): string {
  return Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
}

/** A new story in the fixture project; unique titles keep tests independent. */
export async function newStory(db: Db, title: string, extra: { body?: string; stage?: "backlog" | "current" | "qa" | "merge" | "done"; agent?: string } = {}) {
  return createStory(db, { projectId: seeded().projectId, title, ...extra }, testActor);
}

/** A finished session of the fixture project's quick-coder on `story` (its log is the test's to write). */
export async function recordedSession(db: Db, story: { id: number }, extra: Partial<Prisma.AgentSessionUncheckedCreateInput> = {}) {
  const agent = await db.agent.findFirstOrThrow({ where: { projectId: seeded().projectId, name: "quick-coder" } });
  return db.agentSession.create({
    data: {
      projectId: seeded().projectId,
      storyId: story.id,
      agentId: agent.id,
      stage: "coder",
      status: "completed",
      runtime: "command",
      startedAt: new Date(),
      finishedAt: new Date(),
      ...extra,
    },
  });
}

export { expect };
