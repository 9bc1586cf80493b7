import path from "node:path";
import { execa, type ResultPromise } from "execa";
import type { Db } from "@drover/db";
import { syncRosterText } from "@drover/db/testing/roster-text";

export { makeRepo } from "@drover/repo/testing/make-repo";

export const repoRoot = path.resolve(import.meta.dirname, "../../../..");
export const cliMain = path.join(repoRoot, "apps/runner/src/cli/main.ts");

let counter = 0;
/** A project row as a parsed roster would leave it; max_coders above the default 3, since runner tests run many coders at once. */
export async function seedProject(db: Db, repoPath: string, config: Record<string, unknown> = {}) {
  const data = { name: `p${process.pid}-${++counter}-${Date.now()}`, repoPath, baseBranch: "main", config: { max_coders: 10, ...config } };
  const p = await db.project.create({ data });
  await syncRosterText(db, p.id);
  return p;
}

export interface SessionSeed {
  agent?: string;
  command: string[];
  storyNumber?: number;
  slug?: string;
  prompt?: string;
  agentConfig?: Record<string, unknown>;
  worktreePath?: string;
  stage?: "coder" | "qa" | "mergemaster" | "other";
  resumeRuntimeSessionId?: string;
  freshPrompt?: string;
  /** Set at creation: a running runner may claim the session before a later update lands. */
  baseBranch?: string;
}

export async function seedSession(db: Db, projectId: number, s: SessionSeed) {
  const number = s.storyNumber ?? (await db.story.count({ where: { projectId } })) + 1;
  const story = await db.story.upsert({
    where: { projectId_number: { projectId, number } },
    create: { projectId, number, slug: s.slug ?? `story-${number}`, title: `Story ${number}`, stage: "current" },
    update: {},
  });
  const name = s.agent ?? `agent-${number}`;
  const stage = s.stage ?? "coder";
  const agent = await db.agent.upsert({
    where: { projectId_name: { projectId, name } },
    create: { projectId, name, stage, runtime: "command", config: { name, runtime: "command", command: s.command, ...(s.agentConfig ?? {}) } },
    update: { config: { name, runtime: "command", command: s.command, ...(s.agentConfig ?? {}) } },
  });
  await syncRosterText(db, projectId);
  return db.agentSession.create({
    data: {
      projectId,
      storyId: story.id,
      agentId: agent.id,
      stage,
      runtime: "command",
      prompt: s.prompt ?? "do the work",
      worktreePath: s.worktreePath,
      resumeRuntimeSessionId: s.resumeRuntimeSessionId,
      freshPrompt: s.freshPrompt,
      baseBranch: s.baseBranch,
    },
  });
}

/** The session once it has ended (any final status). */
export function sessionEnded(db: Db, id: number, timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const s = await db.agentSession.findUniqueOrThrow({ where: { id } });
      return s.finishedAt ? s : undefined;
    },
    `session ${id} to end`,
    timeoutMs,
  );
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export { groupAlive } from "../../src/runner/process-group.ts";

export interface RunnerProcess {
  proc: ResultPromise;
  id: string;
  /** The runner's own pid (printed by it; differs from proc.pid under pnpm). */
  pid: number;
  output(): string;
}

/** `drover runner` as a child process, the way end-to-end tests drive it. */
/** `opts.env` adds to (or, with undefined, removes from) the test's environment: PATH, HOME, credentials. */
export async function spawnRunner(
  databaseUrl: string,
  args: string[],
  dataDir: string,
  opts: { viaPnpm?: boolean; env?: Record<string, string | undefined> } = {},
): Promise<RunnerProcess> {
  // node --import tsx is one process (cheaper, and its pid is the runner's); pnpm exec tsx is how
  // other suites drive it and is exercised too.
  const [file, pre] = opts.viaPnpm ? ["pnpm", ["exec", "tsx"]] : [process.execPath, ["--import", "tsx"]];
  // The runner on its own: sessions end by exit code (the pipeline's hooks have their own suites).
  const proc = execa(file, [...pre, cliMain, "runner", "--no-pipeline", "--data-dir", dataDir, ...args], {
    cwd: repoRoot,
    env: { ...opts.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "info" },
    reject: false,
    buffer: false,
    all: true,
  });
  let out = "";
  proc.all!.setEncoding("utf8");
  proc.all!.on("data", (c: string) => {
    out += c;
  });
  const m = await waitFor(async () => /"runnerId":"([^"]+)","pid":(\d+)/.exec(out), "runner start", 60_000, 50).catch((e) => {
    throw new Error(`${(e as Error).message}\n${out}`);
  });
  return { proc, id: m[1], pid: Number(m[2]), output: () => out };
}
