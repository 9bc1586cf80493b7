// Benchmark: the session log page with 50,000 events. Starts an embedded Postgres (temp folder),
// seeds one session with 50,000 mixed events, serves the built web app (`pnpm build` first) and
// drives the system Chromium: load time to the followed tail, then scroll smoothness (frame
// times while scrolling the whole log) and time to fill rows after a jump to the middle.
// Usage: pnpm bench log-page [events=50000]
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDb } from "../packages/db/src/client.ts";
import { startEmbeddedPostgres } from "../packages/db/src/embedded.ts";
import { applyMigrations } from "../packages/db/src/migrate.ts";
import { createRequire } from "node:module";

const N = Number(process.argv[2] ?? 50_000);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const webDir = path.join(root, "apps/web");
// Playwright is the web app's dev dependency: resolve it from there.
const { chromium } = createRequire(path.join(webDir, "package.json"))("@playwright/test") as typeof import("@playwright/test");
if (!fs.existsSync(path.join(webDir, ".next/BUILD_ID"))) {
  console.error("apps/web/.next is missing: run `pnpm build` first.");
  process.exit(2);
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
const ms = (n: number) => `${n.toFixed(0)} ms`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drover-bench-log-"));
const pg = await startEmbeddedPostgres({ dataDir: tmp, fast: true, preferredPort: 0 });
let web: ReturnType<typeof spawn> | undefined;
try {
  await applyMigrations(pg.url);
  const db = createDb(pg.url, { max: 4 });
  const project = await db.project.create({ data: { name: "bench", repoPath: tmp } });
  const agent = await db.agent.create({ data: { projectId: project.id, name: "coder-1", stage: "coder", runtime: "claude-code" } });
  const story = await db.story.create({ data: { projectId: project.id, number: 1, slug: "bench", title: "Bench story" } });
  const session = await db.agentSession.create({
    data: {
      projectId: project.id,
      storyId: story.id,
      agentId: agent.id,
      stage: "coder",
      status: "completed",
      runtime: "claude-code",
      startedAt: new Date(),
      finishedAt: new Date(),
    },
  });
  const t0 = performance.now();
  const KINDS = ["text", "text", "text", "tool_call", "tool_result", "thinking", "stderr", "usage"];
  for (let start = 0; start < N; start += 5000) {
    const rows = [];
    for (let seq = start; seq < Math.min(N, start + 5000); seq++) {
      const kind = seq % 997 === 0 ? "error" : KINDS[seq % KINDS.length]!;
      const text = `Event ${seq}: ${"lorem ipsum dolor sit amet ".repeat(1 + (seq % 7))}`;
      const payload =
        kind === "tool_call"
          ? {
              kind,
              id: `t${seq}`,
              name: seq % 2 ? "Edit" : "Bash",
              input: seq % 2 ? { file_path: `src/f${seq}.ts`, old_string: "a\nb\n", new_string: "a\nc\n" } : { command: `ls ${seq}` },
            }
          : kind === "tool_result"
            ? { kind, id: `t${seq - 1}`, ok: seq % 13 !== 0, output: text }
            : { kind, text };
      rows.push({ sessionId: session.id, seq, kind, text: kind === "tool_call" ? null : text, payload, raw: JSON.stringify(payload) });
    }
    await db.sessionEvent.createMany({ data: rows });
  }
  console.log(`seeded ${N} events in ${ms(performance.now() - t0)}`);
  await db.$disconnect();

  const port = await freePort();
  web = spawn(path.join(webDir, "node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: webDir,
    env: { ...process.env, DATABASE_URL: pg.url, NODE_ENV: "production", LOG_LEVEL: "warn" },
    stdio: "ignore",
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/trpc/views.projects`)).ok) break;
    } catch {
      /* starting */
    }
    if (i > 400) throw new Error("next start did not come up");
    await new Promise((r) => setTimeout(r, 300));
  }

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // tsx (esbuild keepNames) wraps named functions in __name(); evaluated code needs it too.
  await page.addInitScript("window.__name = (f) => f");
  const url = `${base}/sessions/${session.id}`;
  // Warm the server (first request compiles nothing in production, but opens pools).
  await page.goto(url);
  await page.getByText(`${N} events`).waitFor({ timeout: 120_000 });

  const loads: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await page.goto(url);
    await page.getByText(`${N} events`).waitFor({ timeout: 120_000 });
    await page.locator(`[data-seq="${N - 1}"]`).waitFor({ timeout: 120_000 });
    loads.push(performance.now() - start);
  }
  const domRows = await page.locator("[data-seq]").count();

  await page.getByTestId("follow-toggle").click();
  // Fresh page: jump to the middle and time until every row on screen holds its event (a cold slice fetch).
  const jump = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid="log-scroll"]') as HTMLElement;
    const start = performance.now();
    el.scrollTop = el.scrollHeight / 2;
    while (performance.now() - start < 30_000) {
      await new Promise((r) => requestAnimationFrame(r));
      const rows = el.querySelectorAll("[data-index]");
      const filled = el.querySelectorAll("[data-index] > [data-seq]");
      // Rows from the new position (not the tail still on screen), every one with its event.
      const first = Number(rows[0]?.getAttribute("data-index") ?? -1);
      if (first > 1000 && first < 49_000 && rows.length === filled.length) return performance.now() - start;
    }
    return -1;
  });
  // Scroll the whole log top to bottom in 60 px steps per frame (a fast trackpad fling),
  // recording every frame's duration.
  const scroll = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid="log-scroll"]') as HTMLElement;
    el.scrollTop = 0;
    await new Promise((r) => setTimeout(r, 500));
    const frames: number[] = [];
    let last = performance.now();
    const step = Math.max(60, Math.floor(el.scrollHeight / 3000));
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const tick = (now: number) => {
        frames.push(now - last);
        last = now;
        el.scrollTop += step;
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 2 || frames.length > 4000) resolve();
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    return { frames: frames.slice(1), totalMs: performance.now() - start, height: el.scrollHeight, step };
  });

  await browser.close();

  const f = scroll.frames;
  const slow = f.filter((x) => x > 50).length;
  console.log(`\nSession log page, ${N} events (Chromium headless, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)})`);
  console.log(`  load to followed tail: median ${ms(pct(loads, 50))} (runs: ${loads.map(ms).join(", ")})`);
  console.log(`  rows in the DOM: ${domRows}`);
  console.log(`  scroll through the whole log (${f.length} frames, ${scroll.step}px/frame, ${(scroll.height / 1000).toFixed(0)}k px): ${ms(scroll.totalMs)}`);
  console.log(
    `  frame time: median ${pct(f, 50).toFixed(1)} ms, p95 ${pct(f, 95).toFixed(1)} ms, p99 ${pct(f, 99).toFixed(1)} ms, max ${Math.max(...f).toFixed(1)} ms; frames over 50 ms: ${slow} (${((100 * slow) / f.length).toFixed(1)}%); ~${(1000 / pct(f, 50)).toFixed(0)} fps median`,
  );
  console.log(`  jump to the middle until the screen is filled: ${ms(jump)}`);
} finally {
  if (web?.pid) {
    try {
      process.kill(-web.pid, "SIGTERM");
    } catch {
      /* gone */
    }
  }
  await pg.stop().catch(() => {});
  fs.rmSync(tmp, { recursive: true, force: true });
}
