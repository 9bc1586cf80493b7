// A project with a gated coder (max_retries = 2) in a real repository, a secret key, and a worker
// started against the test database with fast retries.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { pino } from "pino";
import { repoAccess } from "@drover/repo";
import { addProject } from "@drover/db/services/projects";
import { readSecretKey } from "@drover/db/secrets/key";
import type { TestDatabase } from "@drover/db/testing/test-database";
import { testActor } from "@drover/db/testing/actors";
import { startDeliveryWorker, type DeliveryWorkerOptions } from "../../src/notifications/delivery-worker.ts";

export const log = pino({ level: "silent" });
export const ENV = { DROVER_SECRET_KEY: "cd".repeat(32), DROVER_PUBLIC_URL: "https://drover.example.test/" };
export const KEY = readSecretKey({ env: ENV })!;

export async function gatedProject(t: TestDatabase, dirs: string[]) {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "drover-notify-"));
  dirs.push(repo);
  const git = (...a: string[]) => execFileSync("git", a, { cwd: repo, encoding: "utf8" }).trim();
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@t");
  git("config", "user.name", "T");
  fs.mkdirSync(path.join(repo, ".drover"));
  fs.writeFileSync(
    path.join(repo, ".drover/project.toml"),
    `default_qa = "server"\nmax_retries = 2\ngates = []\n\n[[agent]]\nname = "coder-1"\nstage = "coder"\nruntime = "command"\ncommand = ["true"]\n`,
  );
  git("add", "-A");
  git("commit", "-q", "-m", "init");
  const { project } = await addProject(t.db, { repoPath: repo, name: path.basename(repo) }, repoAccess, testActor);
  return project;
}

export function worker(t: TestDatabase, o: Partial<DeliveryWorkerOptions> = {}) {
  return startDeliveryWorker(t.db, log, {
    databaseUrl: t.url,
    env: ENV,
    timeoutMs: 2_000,
    pollMs: 100,
    retry: { baseMs: 100, maxMs: 400, retryForMs: 60_000 },
    ...o,
  });
}
