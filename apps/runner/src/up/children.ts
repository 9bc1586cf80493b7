// Child processes of `drover up`: the web server and the runner, each supervised with execa.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { execa, type ResultPromise } from "execa";
import { repoRoot } from "@drover/db/paths";

export type Child = ResultPromise<{ reject: false; stdio: ["ignore", "inherit", "inherit"] }>;

const cliMain = path.join(repoRoot, "apps/runner/src/cli/main.ts");
const webDir = path.join(repoRoot, "apps/web");

export function startRunnerProcess(env: Record<string, string>): Child {
  return execa(process.execPath, ["--import", "tsx", cliMain, "runner"], {
    env,
    cwd: repoRoot,
    reject: false,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

export function startWebProcess(env: Record<string, string>, host: string, port: number): Child {
  if (!fs.existsSync(path.join(webDir, ".next", "BUILD_ID"))) {
    throw new Error("The web app is not built: run `pnpm build` (the `pnpm start` script does it for you).");
  }
  const require = createRequire(path.join(webDir, "package.json"));
  const nextBin = path.join(path.dirname(require.resolve("next/package.json")), "dist/bin/next");
  return execa(process.execPath, [nextBin, "start", "--hostname", host, "--port", String(port)], {
    env: { ...env, NODE_ENV: "production" },
    cwd: webDir,
    reject: false,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

/** Resolves once the web server answers, rejects if it exits first or takes too long. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.then(() => {
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

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopChild(child: Child | undefined, graceMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await child;
  clearTimeout(timer);
}
