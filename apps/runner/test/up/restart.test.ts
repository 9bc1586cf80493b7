// `drover up` supervises its children with real processes: a runner killed with SIGKILL is
// restarted (the web keeps answering), a postmaster killed with SIGKILL is restarted and the web
// and the runner reconnect, and Ctrl-C stops everything within a bound, also while the database is dead.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { createFirstAdmin, setupLinkIn } from "./first-admin.ts";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "@drover/db/paths";
import { groupAlive } from "../../src/runner/process-group.ts";

const main = path.join(repoRoot, "apps/runner/src/cli/main.ts");
const built = fs.existsSync(path.join(repoRoot, "apps/web/.next/BUILD_ID"));
const SHUTDOWN_BOUND_MS = 15_000;

interface Up {
  pid: number;
  url: string;
  /** The first admin's session (made through the printed setup link). */
  cookie: string;
  out(): string;
  /** Pids of the supervisor's live runner or web processes, from /proc (next renames itself "next-server"). */
  pids(child: "runner" | "web"): number[];
  supervisorPid(): number;
  exited: Promise<{ exitCode?: number; signal?: string }>;
}

async function startUp(dataDir: string): Promise<Up> {
  const env: Record<string, string | undefined> = { ...process.env, DROVER_DATA_DIR: dataDir, DROVER_WEB_PORT: "0", LOG_FORMAT: "json" };
  delete env.DATABASE_URL;
  // Its own process group, like a shell's foreground job, so the test can Ctrl-C the whole group.
  const child = execa(process.execPath, ["--import", "tsx", main, "up"], { env, reject: false, all: true, cwd: repoRoot, detached: true });
  let out = "";
  child.all!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = child.then((r) => ({ exitCode: r.exitCode, signal: r.signal }));
  const lines = () =>
    out.split("\n").flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  // Whatever happens to the test, nothing of this `drover up` outlives it: the supervisor's group
  // holds the postmaster, and the guard takes the runner and the web when the supervisor dies.
  cleanup.unshift(() => {
    const sup = lines().find((l) => l.name === "drover-up")?.pid as number | undefined;
    for (const g of [sup, child.pid]) if (g && groupAlive(g)) process.kill(-g, "SIGKILL");
  });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /Drover is running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearInterval(t);
        resolve(m[1]!);
      }
    }, 50);
    void exited.then((r) => {
      clearInterval(t);
      reject(new Error(`drover up exited (${r.exitCode}) before printing its URL:\n${out}`));
    });
  });
  const cookie = await createFirstAdmin(setupLinkIn(out)!);
  return {
    pid: child.pid!,
    url,
    cookie,
    out: () => out,
    pids: (name) =>
      childrenOf(lines().find((l) => l.name === "drover-up")!.pid as number)
        .filter((c) => (name === "runner" ? c.argv.at(-1) === "runner" : /\bnext\b/.test(c.argv.join(" "))))
        .map((c) => c.pid),
    supervisorPid: () => lines().find((l) => l.name === "drover-up")!.pid as number,
    exited,
  };
}

function childrenOf(ppid: number): Array<{ pid: number; argv: string[] }> {
  const out: Array<{ pid: number; argv: string[] }> = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[1]) !== ppid || f[0] === "Z") continue;
      out.push({ pid: Number(d), argv: fs.readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").filter(Boolean) });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(fn: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs: number, up: Up): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await Promise.resolve(fn()).catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${up.out().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function answers(up: Up): Promise<boolean> {
  const res = await fetch(`${up.url}/api/trpc/projects.list`, { headers: { cookie: up.cookie }, signal: AbortSignal.timeout(3_000) });
  return res.status === 200;
}

function postmasterPid(dataDir: string): number | undefined {
  const n = Number(fs.readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
  return n > 0 ? n : undefined;
}

/** Ctrl-C to the whole group; resolves with the time until every process of this `drover up` is gone. */
async function ctrlC(up: Up, pids: number[], groups: number[]): Promise<number> {
  const started = Date.now();
  process.kill(-up.pid, "SIGINT");
  const res = await up.exited;
  await until(() => pids.every((p) => !alive(p)) && groups.every((g) => !groupAlive(g)), "every process to be gone", 60_000, up);
  const ms = Date.now() - started;
  expect(res.exitCode).toBe(0);
  return ms;
}

const cleanup: Array<() => void> = [];
afterAll(() => {
  for (const c of cleanup) c();
});

function tmpData(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-up-restart-"));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe.skipIf(!built && !process.env.CI)("drover up supervises its children", () => {
  let up: Up;
  let dataDir: string;

  it("restarts a runner killed with SIGKILL; the web keeps answering", async () => {
    expect(built, "apps/web is not built: run `pnpm build` first").toBe(true);
    dataDir = tmpData();
    up = await startUp(dataDir);
    const runners = up.pids("runner");
    expect(runners).toHaveLength(1);
    expect(up.pids("web")).toHaveLength(1);
    const first = runners[0];
    process.kill(first!, "SIGKILL");
    const second = await until(() => up.pids("runner").find((p) => p !== first), "a new runner", 30_000, up);
    expect(alive(first!)).toBe(false);
    expect(await answers(up)).toBe(true);
    // It is a working runner: it registered and heartbeats (seen through the web).
    await until(
      async () => {
        const res = await fetch(`${up.url}/api/trpc/views.runners`, { headers: { cookie: up.cookie } });
        const rows = ((await res.json()) as { result: { data: { json: Array<{ pid: number; stoppedAt: string | null }> } } }).result.data.json;
        return rows.some((r) => r.pid === second && !r.stoppedAt);
      },
      "the new runner to register",
      30_000,
      up,
    );
  }, 90_000);

  it("restarts a postmaster killed with SIGKILL; the web answers again and the runner reconnects", async () => {
    const pm = postmasterPid(dataDir)!;
    process.kill(pm, "SIGKILL");
    const killedAt = Date.now();
    await until(
      async () => {
        const now = postmasterPid(dataDir);
        return now && now !== pm && alive(now) && (await answers(up));
      },
      "the web to answer again on a new postmaster",
      30_000,
      up,
    );
    const recoveredMs = Date.now() - killedAt;
    console.log(`web answered again ${recoveredMs} ms after kill -9 of the postmaster`);
    expect(recoveredMs).toBeLessThan(20_000);
    // The runner survived or was restarted; either way one heartbeats again after the restart.
    await until(
      async () => {
        const res = await fetch(`${up.url}/api/trpc/views.runners`, { headers: { cookie: up.cookie } });
        const rows = ((await res.json()) as { result: { data: { json: Array<{ pid: number; heartbeatAt: string; stoppedAt: string | null }> } } }).result.data
          .json;
        return rows.some((r) => !r.stoppedAt && new Date(r.heartbeatAt).getTime() > killedAt + 1_000 && alive(r.pid));
      },
      "a runner heartbeat after the restart",
      30_000,
      up,
    );
  }, 90_000);

  it("Ctrl-C stops everything within the bound", async () => {
    const pids = [up.pid, up.supervisorPid(), ...up.pids("runner"), ...up.pids("web"), postmasterPid(dataDir)!];
    const ms = await ctrlC(up, pids, [...up.pids("runner"), ...up.pids("web")]);
    console.log(`shutdown took ${ms} ms`);
    expect(ms).toBeLessThan(SHUTDOWN_BOUND_MS);
    expect(fs.existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);
  }, 60_000);

  it("Ctrl-C right after the postmaster died stops everything within the bound", async () => {
    const dir = tmpData();
    const up2 = await startUp(dir);
    const pm = postmasterPid(dir)!;
    const pids = [up2.pid, up2.supervisorPid(), ...up2.pids("runner"), ...up2.pids("web"), pm];
    process.kill(pm, "SIGKILL");
    await until(() => !alive(pm), "the postmaster to die", 5_000, up2);
    const ms = await ctrlC(up2, pids, [...up2.pids("runner"), ...up2.pids("web")]);
    console.log(`shutdown with a dead postmaster took ${ms} ms`);
    expect(ms).toBeLessThan(SHUTDOWN_BOUND_MS);
    // Nor did a postmaster restarted meanwhile outlive it.
    const left = fs.existsSync(path.join(dir, "pg", "postmaster.pid")) ? postmasterPid(dir) : undefined;
    expect(left === undefined || left === pm || !alive(left)).toBe(true);
  }, 90_000);

  it("a supervisor killed with SIGKILL takes the runner and the web with it (the guard)", async () => {
    const dir = tmpData();
    const up3 = await startUp(dir);
    const groups = [...up3.pids("runner"), ...up3.pids("web")];
    expect(groups).toHaveLength(2);
    process.kill(up3.supervisorPid(), "SIGKILL");
    const killedAt = Date.now();
    try {
      await until(() => groups.every((g) => !groupAlive(g)), "the runner's and web's groups to die", 10_000, up3);
    } finally {
      for (const g of groups) if (groupAlive(g)) process.kill(-g, "SIGKILL");
    }
    expect(Date.now() - killedAt).toBeLessThan(10_000);
  }, 90_000);
});
