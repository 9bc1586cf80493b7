// A bare git remote in a temp folder, seeded from a real repository, served over file:// or by
// `git daemon` (git://, push enabled) or git's smart HTTP on a free local port; "hosts" are separate clone folders.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { makeRepo } from "@drover/repo/testing/make-repo";
import { serveSmartHttp as serveBareOverHttp, type SmartHttpRemote } from "@drover/repo/testing/smart-http";

export const gitSync = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: "pipe" }).toString().trim();

export interface TestRemote {
  /** The bare repository folder. */
  bare: string;
  /** file:// URL of it. */
  url: string;
  /** A working clone for "someone else" pushing to the remote. */
  other: string;
}

export function makeRemote(files: Record<string, string> = { "README.md": "hello\n" }, config?: string): TestRemote {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-remote-")));
  const seed = makeRepo({ dir: path.join(root, "seed"), files: { ...files, ".gitignore": ".drover/worktrees/\n" }, ...(config ? { config } : {}) });
  const bare = path.join(root, "shop.git");
  gitSync(root, "clone", "-q", "--bare", seed, bare);
  const url = `file://${bare}`;
  const other = path.join(root, "other");
  gitSync(root, "clone", "-q", url, other);
  gitSync(other, "config", "user.email", "other@example.com");
  gitSync(other, "config", "user.name", "Other");
  return { bare, url, other };
}

/** Someone else commits `files` on `branch` and pushes it to the remote. */
export function pushFromOther(r: TestRemote, branch: string, files: Record<string, string>, msg = "other change"): string {
  gitSync(r.other, "fetch", "-q", "origin");
  const exists = gitSync(r.other, "ls-remote", "origin", `refs/heads/${branch}`) !== "";
  gitSync(r.other, "checkout", "-q", "-B", branch, ...(exists ? [`origin/${branch}`] : []));
  for (const [k, v] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(r.other, k)), { recursive: true });
    fs.writeFileSync(path.join(r.other, k), v);
  }
  gitSync(r.other, "add", "-A");
  gitSync(r.other, "commit", "-q", "-m", msg);
  gitSync(r.other, "push", "-q", "origin", `${branch}:${branch}`);
  return gitSync(r.other, "rev-parse", "HEAD");
}

/** A pre-receive hook in the remote refusing every push to `branch`, with `message` on stderr. */
export function refusePushesTo(r: TestRemote, branch: string, message: string): void {
  const hook = path.join(r.bare, "hooks", "pre-receive");
  fs.writeFileSync(
    hook,
    `#!/bin/sh\nwhile read old new ref; do\n  if [ "$ref" = "refs/heads/${branch}" ]; then echo "${message}" >&2; exit 1; fi\ndone\nexit 0\n`,
  );
  fs.chmodSync(hook, 0o755);
}

export const remoteHeadOf = (r: TestRemote, branch: string) => gitSync(r.bare, "rev-parse", `refs/heads/${branch}`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** `git daemon` serving the remote's folder over git:// with push enabled; stop() ends it. */
export async function serveGitDaemon(r: TestRemote, listen = "127.0.0.1"): Promise<{ url: string; stop(): void; proc: ChildProcess }> {
  const port = await freePort();
  const base = path.dirname(r.bare);
  const proc = spawn(
    "git",
    ["daemon", "--reuseaddr", "--export-all", "--enable=receive-pack", `--base-path=${base}`, `--listen=${listen}`, `--port=${port}`, base],
    { stdio: "ignore" },
  );
  const url = `git://${listen}:${port}/${path.basename(r.bare)}`;
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync("git", ["ls-remote", url], { stdio: "pipe" });
      return { url, stop: () => proc.kill("SIGTERM"), proc };
    } catch {
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  proc.kill("SIGKILL");
  throw new Error(`git daemon did not answer on ${url}`);
}

/** git's smart HTTP serving the remote, 401 without the token (packages/repo/testing/smart-http.ts). */
export function serveSmartHttp(r: TestRemote, token: string): Promise<SmartHttpRemote> {
  return serveBareOverHttp(r.bare, token);
}
