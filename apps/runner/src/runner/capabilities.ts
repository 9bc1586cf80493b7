// The one home for detecting what this host can run: per runtime, whether its CLI is on PATH, its
// version, and which credential sources exist (a variable in the runner's environment, a login file
// in the runner user's home). Names only, never values. The runner records the result on its row at
// start and on each heartbeat; `drover doctor` shows it. Judging is core's runtimes/capabilities.ts.
import { runnerHome } from "./agent-credentials.ts";
import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { runtimeCredentials } from "@drover/core/runtimes/credentials";
import type { RunnerCapabilities } from "@drover/core/runtimes/capabilities";
import { readSecretKey } from "@drover/db/secrets/key";
import { findExecutable } from "@drover/repo/find-executable";
import { buildCommandEnv } from "./environment.ts";

const VERSION_TIMEOUT_MS = 15_000;

/** `<cli> --version` is a process start (Gemini's takes a second or two): read once per binary and modification time. */
const versionCache = new Map<string, string | null>();

async function versionOf(file: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  let key: string;
  try {
    key = `${file}:${fs.statSync(file).mtimeMs}`;
  } catch {
    return null;
  }
  if (versionCache.has(key)) return versionCache.get(key)!;
  const r = await execa(file, ["--version"], {
    env: buildCommandEnv({ base: env }),
    extendEnv: false,
    reject: false,
    timeout: VERSION_TIMEOUT_MS,
    stdin: "ignore",
  });
  const line =
    `${r.stdout ?? ""}`
      .split("\n")
      .find((l) => l.trim())
      ?.trim() ?? null;
  const version = r.exitCode === 0 && line ? line.slice(0, 200) : null;
  versionCache.set(key, version);
  return version;
}

export interface DetectOptions {
  /** The environment whose PATH and credential variables count (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** The home folder whose login files count (default: the runner user's). */
  home?: string;
}

export async function detectCapabilities(opts: DetectOptions = {}): Promise<RunnerCapabilities> {
  const env = opts.env ?? process.env;
  // The same home the agents' login links come from (the runner's environment's HOME).
  const home = opts.home ?? runnerHome(env);
  const out: RunnerCapabilities = {};
  await Promise.all(
    Object.entries(runtimeCredentials).map(async ([runtime, decl]) => {
      const found = findExecutable(decl.cli, { pathEnv: env.PATH ?? "", cwd: home });
      const credentials = [
        ...decl.credentialEnv.filter((k) => env[k]).map((k) => `env ${k}`),
        ...decl.loginFiles.filter((f) => isFile(path.join(home, f))).map((f) => `login ~/${f}`),
      ];
      out[runtime] = {
        cli: decl.cli,
        path: found.ok ? found.path : null,
        version: found.ok ? await versionOf(found.path, env) : null,
        credentials,
      };
    }),
  );
  return out;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The fingerprint of the secret key this runner holds (DROVER_SECRET_KEY or the data folder's key file), or null. */
export function detectSecretKeyId(env: NodeJS.ProcessEnv = process.env): string | null {
  try {
    return readSecretKey({ env })?.id ?? null;
  } catch {
    return null; // a malformed key or a key file others can read: it decrypts nothing (the start message says why)
  }
}
