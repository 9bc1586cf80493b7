// What every part starts from: a git repository, a project on it, stories and command agents.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "../../packages/db/src/client.ts";
import { syncRosterText } from "../../packages/db/testing/roster-text.ts";
import { until } from "./stats.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export async function makeProject(
  db: Db,
  repo: string,
  opts: {
    stories: number;
    agents: { name: string; stage?: "coder" | "other"; command?: string[]; runtime?: string }[];
    /** Another name for a second project on the same database; roster keys such as sandbox = false. */
    name?: string;
    config?: Record<string, unknown>;
  },
) {
  const project = await db.project.create({ data: { name: opts.name ?? "bench", repoPath: repo, baseBranch: "main", config: (opts.config ?? {}) as object } });
  await db.story.createMany({
    data: Array.from({ length: opts.stories }, (_, i) => ({
      projectId: project.id,
      number: i + 1,
      slug: `s${i + 1}`,
      title: `Story ${i + 1}`,
      stage: "current" as const,
      position: i,
    })),
  });
  const stories = await db.story.findMany({ where: { projectId: project.id }, orderBy: { number: "asc" } });
  await db.agent.createMany({
    data: opts.agents.map((a) => {
      const runtime = a.runtime ?? "command";
      return {
        projectId: project.id,
        name: a.name,
        stage: a.stage ?? "other",
        runtime,
        config: { name: a.name, runtime, ...(runtime === "command" ? { command: a.command } : {}) },
      };
    }),
  });
  // The runner runs only what the stored roster text says.
  await syncRosterText(db, project.id);
  const agents = await db.agent.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
  return { project, stories, agents };
}

const children = new Set<ChildProcess>();

/**
 * A `drover runner` process (the CLI, without the pipeline's hooks), ready once it registered.
 * Started as `node --import tsx` (one process, so /proc figures are the runner's own).
 */
export async function spawnRunner(
  db: Db,
  opts: { databaseUrl: string; id: string; capacity: number; dataDir: string; pathPrefix?: string; env?: Record<string, string> },
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each runner (open it in Chrome's DevTools).
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF] : []),
      "--import",
      "tsx",
      path.join(ROOT, "apps/runner/src/cli/main.ts"),
      "runner",
      "--no-pipeline",
      "--no-recover",
      "--id",
      opts.id,
      "--capacity",
      String(opts.capacity),
      "--data-dir",
      opts.dataDir,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: opts.databaseUrl,
        LOG_LEVEL: "warn",
        PATH: opts.pathPrefix ? `${opts.pathPrefix}:${process.env.PATH}` : process.env.PATH,
        ...opts.env,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  trackChild(child);
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`runner ${opts.id} exited with ${child.exitCode}`);
      return db.runner.findFirst({ where: { id: opts.id, stoppedAt: null } });
    },
    50,
    60_000,
    `runner ${opts.id} to register`,
  );
  return child;
}

/** Registers a process for stopLeftovers. */
export function trackChild(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Stops every process a part started and left running (a part that failed half-way). */
export async function stopLeftovers(): Promise<void> {
  await Promise.all([...children].map((c) => stopProcess(c)));
}

/** SIGTERM (graceful shutdown) and wait for the exit. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([gone, new Promise((r) => setTimeout(r, 20_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
