// Memory: a runner process's RSS idle and while it supervises 20 agents (the agents' own memory
// not counted), and the web server's RSS idle and with 50 live subscribers (tRPC subscriptions
// over server-sent events, as 50 open boards hold). The anchor of each is the same process idle.
import fs from "node:fs";
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { createDb } from "../../packages/db/src/client.ts";
import { CHANNELS, notify } from "../../packages/db/src/notify.ts";
import { makeProject, ROOT, spawnRunner, stopProcess, trackChild } from "../lib/fixture.ts";
import { makeRepo } from "../../packages/repo/testing/make-repo.ts";
import type { Part } from "../lib/part.ts";
import { rssMb, until } from "../lib/stats.ts";
import { createAccessToken, createUserWithPassword } from "../../packages/auth/src/index.ts";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

/** RSS of a process and its descendants (`next start` may fork its server). */
function treeRssMb(pid: number): number {
  const kids = new Map<number, number[]>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
    } catch {
      /* gone */
    }
  }
  let total = 0;
  const walk = (p: number) => {
    const r = rssMb(p);
    if (!Number.isNaN(r)) total += r;
    for (const k of kids.get(p) ?? []) walk(k);
  };
  walk(pid);
  return total;
}

export const memory: Part = {
  name: "memory",
  async run({ quick, pg, report, tmp }) {
    const AGENTS = quick ? 5 : 20;
    const SUBSCRIBERS = quick ? 10 : 50;
    const settle = quick ? 500 : 2000;
    const url = await pg.database("bench_memory");
    const db = createDb(url, { max: 2 });
    const repo = makeRepo({ dir: path.join(tmp, "repo") });
    const { project, stories, agents } = await makeProject(db, repo, {
      stories: AGENTS,
      agents: Array.from({ length: AGENTS }, (_, i) => ({ name: `sleeper-${i}`, command: ["sh", "-c", "echo up; exec sleep 600"] })),
    });
    const runner = await spawnRunner(db, { databaseUrl: url, id: "bench-memory", capacity: AGENTS, dataDir: path.join(tmp, "runner") });
    try {
      await new Promise((r) => setTimeout(r, settle));
      const idle = rssMb(runner.pid!);
      const sessions = await db.agentSession.createManyAndReturn({
        data: agents.map((a, i) => ({
          projectId: project.id,
          storyId: stories[i]!.id,
          agentId: a.id,
          stage: "other" as const,
          runtime: "command",
          prompt: "",
        })),
        select: { id: true },
      });
      await notify(db, CHANNELS.sessions, { projectId: project.id });
      const ids = sessions.map((s) => s.id);
      await until(
        async () => (await db.agentSession.count({ where: { id: { in: ids }, processStartedAt: { not: null } } })) === AGENTS,
        100,
        120_000,
        `${AGENTS} agents to run`,
      );
      await new Promise((r) => setTimeout(r, settle));
      const busy = rssMb(runner.pid!); // the runner process only: agents are its children, not counted
      report.add({
        part: "memory",
        name: `runner RSS with ${AGENTS} supervised agents`,
        unit: "MB",
        drover: busy,
        anchorName: "same runner idle",
        anchor: idle,
      });
    } finally {
      await stopProcess(runner);
    }

    if (!fs.existsSync(path.join(ROOT, "apps/web/.next/BUILD_ID"))) {
      report.note("memory", "web RSS skipped: apps/web is not built (run `pnpm build`)");
      await db.$disconnect();
      return;
    }
    const port = await freePort();
    const webDir = path.join(ROOT, "apps/web");
    const web = trackChild(
      spawn(path.join(webDir, "node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
        cwd: webDir,
        env: { ...process.env, DATABASE_URL: url, NODE_ENV: "production", LOG_LEVEL: "warn" },
        stdio: "ignore",
      }),
    );
    const base = `http://127.0.0.1:${port}`;
    const abort = new AbortController();
    // Every API call needs a signed-in caller: a viewer's personal access token.
    const viewer = await createUserWithPassword(db, {
      email: "bench-viewer@drover.test",
      name: "Bench viewer",
      password: "bench-viewer-password",
      role: "viewer",
    });
    const { token } = await createAccessToken(db, viewer.id, { name: "memory bench", days: 1 });
    const authorization = `Bearer ${token}`;
    try {
      await until(
        async () => (await fetch(`${base}/api/trpc/views.projects`, { headers: { authorization } }).catch(() => undefined))?.ok,
        300,
        120_000,
        "next start",
      );
      // A board's worth of reads first, so "idle" is a server that has served its pages.
      for (let i = 0; i < 5; i++)
        await fetch(`${base}/api/trpc/views.board?input=${encodeURIComponent(JSON.stringify({ json: { projectId: project.id } }))}`, {
          headers: { authorization },
        });
      await new Promise((r) => setTimeout(r, 1000));
      const idle = treeRssMb(web.pid!);
      const input = encodeURIComponent(JSON.stringify({ json: { projectId: project.id } }));
      let open = 0;
      const subs = Array.from({ length: SUBSCRIBERS }, async () => {
        const res = await fetch(`${base}/api/trpc/live.project?input=${input}`, {
          signal: abort.signal,
          headers: { accept: "text/event-stream", authorization },
        });
        if (!res.ok || !res.headers.get("content-type")?.includes("text/event-stream"))
          throw new Error(`subscription answered ${res.status} ${res.headers.get("content-type")}`);
        open++;
        const reader = res.body!.getReader();
        for (;;) if ((await reader.read()).done) break;
      });
      for (const s of subs) s.catch(() => {});
      await until(async () => open === SUBSCRIBERS, 100, 60_000, `${SUBSCRIBERS} subscriptions`);
      // Some traffic for them: board notifications fan out to every subscriber.
      for (let i = 0; i < 20; i++) await notify(db, CHANNELS.board, { projectId: project.id });
      await new Promise((r) => setTimeout(r, settle));
      const withSubs = treeRssMb(web.pid!);
      report.add({
        part: "memory",
        name: `web server RSS with ${SUBSCRIBERS} live subscribers`,
        unit: "MB",
        drover: withSubs,
        anchorName: "same server idle",
        anchor: idle,
      });
    } finally {
      abort.abort();
      await stopProcess(web);
      await db.$disconnect();
    }
  },
};
