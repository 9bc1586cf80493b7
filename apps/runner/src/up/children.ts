// Child processes of `drover up`: the web server and the runner, each in its own process group so
// stopping one is bounded: SIGTERM to the group, SIGKILL of the group after its timeout.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { execa, type ResultPromise } from "execa";
import { repoRoot } from "@drover/db/paths";
import { processGuard } from "../runner/guard.ts";
import { killGroup } from "../runner/process-group.ts";
import type { Running } from "./supervised.ts";

type Sub = ResultPromise<{ reject: false; stdio: ["ignore", "inherit", "inherit"] }>;

const cliMain = path.join(repoRoot, "apps/runner/src/cli/main.ts");
const webDir = path.join(repoRoot, "apps/web");

/** Time the runner gets to stop its agents (their grace, then SIGKILL) and flush, before its group is killed. */
const RUNNER_STOP_MS = 45_000;
const WEB_STOP_MS = 10_000;

export function startRunnerProcess(env: Record<string, string>): Running {
  return running(
    execa(process.execPath, ["--import", "tsx", cliMain, "runner"], {
      env,
      extendEnv: false,
      cwd: repoRoot,
      reject: false,
      detached: true,
      stdio: ["ignore", "inherit", "inherit"],
    }),
    RUNNER_STOP_MS,
  );
}

export function startWebProcess(env: Record<string, string>, host: string, port: number): Running {
  if (!fs.existsSync(path.join(webDir, ".next", "BUILD_ID"))) {
    throw new Error("The web app is not built: run `pnpm build` (the `pnpm start` script does it for you).");
  }
  const require = createRequire(path.join(webDir, "package.json"));
  const nextBin = path.join(path.dirname(require.resolve("next/package.json")), "dist/bin/next");
  return running(
    execa(process.execPath, [nextBin, "start", "--hostname", host, "--port", String(port)], {
      env: { ...env, NODE_ENV: "production" },
      extendEnv: false,
      cwd: webDir,
      reject: false,
      detached: true,
      stdio: ["ignore", "inherit", "inherit"],
    }),
    WEB_STOP_MS,
  );
}

function running(sub: Sub, stopMs: number): Running {
  const pid = sub.pid;
  // A supervisor killed with SIGKILL takes them with it, like a runner its agents.
  if (pid) processGuard().add(pid);
  const exited = sub.then((r) => {
    // Whatever it started goes with it (next start's workers, say).
    if (pid) {
      killGroup(pid, "SIGKILL");
      processGuard().remove(pid);
    }
    return r.signal ?? `exit code ${r.exitCode}`;
  });
  const within = (ms: number) => Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  return {
    pid,
    exited,
    async stop() {
      if (!pid) return;
      killGroup(pid, "SIGTERM");
      if (await within(stopMs)) return;
      killGroup(pid, "SIGKILL");
      await within(5_000);
    },
  };
}

/** Resolves once the web server answers, rejects if it exits first or takes too long. */
export async function waitForHttp(url: string, web: Running, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void web.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the web server exited before answering at ${url}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the web server did not answer at ${url} within ${timeoutMs / 1000} s`);
}
