// A real `drover runner` process for API tests: the routers that need a repository ask a runner
// (askRunner), so these tests start one against their test database, as production would.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "@drover/db";

const repoRoot = path.resolve(import.meta.dirname, "../../..");

export interface TestRunner {
  id: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a runner without the pipeline (it serves requests and claims nothing the test did not queue). */
export async function startTestRunner(db: Db, databaseUrl: string): Promise<TestRunner> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-api-runner-"));
  const id = `api-test-${process.pid}-${Date.now()}`;
  const args = ["--import", "tsx", "apps/runner/src/cli/main.ts", "runner", "--no-pipeline", "--id", id, "--poll-ms", "200", "--data-dir", dataDir];
  const proc: ChildProcess = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  proc.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 60_000;
  while (!/runner started/.test(out)) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`the test runner did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await db.runner.findUniqueOrThrow({ where: { id } });
  return {
    id,
    output: () => out,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
