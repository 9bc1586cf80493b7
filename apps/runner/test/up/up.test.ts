// `drover up` end to end: a fresh data folder gets an embedded database, migrations, the demo
// project, a runner and the web app; Ctrl-C (SIGINT) stops everything, the database too.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "@drover/db/paths";
import { createTestDatabase } from "@drover/db/testing/test-database";
import { createFirstAdmin, setupLinkIn } from "./first-admin.ts";

const main = path.join(repoRoot, "apps/runner/src/cli/main.ts");

function startUp(dataDir: string, databaseUrl?: string, extraEnv: Record<string, string> = {}) {
  const env: Record<string, string | undefined> = { ...process.env, DROVER_DATA_DIR: dataDir, DROVER_WEB_PORT: "0", LOG_FORMAT: "json", ...extraEnv };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const child = execa(process.execPath, ["--import", "tsx", main, "up"], { env, reject: false, all: true, cwd: repoRoot });
  let out = "";
  const url = new Promise<string>((resolve, reject) => {
    child.all!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /Drover is running at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void child.then((r) => reject(new Error(`drover up exited (${r.exitCode}) before printing its URL:\n${out}`)));
  });
  return { child, url, out: () => out };
}

async function projects(url: string, cookie: string) {
  const res = await fetch(`${url}/api/trpc/projects.list`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json as Array<{ name: string; isDemo: boolean; id: number }>;
}

describe("the README's start command", () => {
  it("is scripts/start.mjs, which ends by running `drover up` (install and build first, when needed)", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe("exec node scripts/start.mjs");
    const script = fs.readFileSync(path.join(repoRoot, "scripts/start.mjs"), "utf8");
    expect(script).toMatch(/pnpm\(\["install", "--frozen-lockfile"\]\)/);
    expect(script).toMatch(/pnpm\(\["build"\]\)/);
    const [, upScript, ...args] = /"--import", "tsx", path\.join\(root, "([^"]+)"\), "(up)"\]/.exec(script)!;
    // Run the command as written, asking for its help: it must be the `up` command.
    const help = await execa(process.execPath, ["--import", "tsx", path.join(repoRoot, upScript!), ...args, "--help"], { cwd: repoRoot });
    expect(help.stdout).toMatch(/^Usage: drover up\b/m);
  });
});

describe("drover up", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-up-"));
  // `drover up` serves the built web app: without a build every test here fails on this, not on a timeout.
  beforeAll(() => {
    if (!fs.existsSync(path.join(repoRoot, "apps/web/.next/BUILD_ID"))) throw new Error("apps/web is not built: run `pnpm build` first");
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let cookie = "";

  it("starts from nothing, prints the one-time setup link, shows the demo project, and stops cleanly on Ctrl-C", async () => {
    const first = startUp(dataDir);
    const url = await first.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // Nobody can sign in yet: the API refuses, and the setup link is the way in.
    expect((await fetch(`${url}/api/trpc/projects.list`)).status).toBe(401);
    const link = setupLinkIn(first.out());
    expect(link?.startsWith(`${url}/join/setup_`)).toBe(true);
    cookie = await createFirstAdmin(link!);
    const list = await projects(url, cookie);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ isDemo: true });
    const stories = await fetch(`${url}/api/trpc/stories.list?input=${encodeURIComponent(JSON.stringify({ json: { projectId: list[0]!.id } }))}`, {
      headers: { cookie },
    });
    const body = ((await stories.json()) as { result: { data: { json: unknown } } }).result.data.json as Array<{ stage: string; title: string }>;
    // The runner may already be moving the current story along; backlog and done stay put.
    const stageOf = Object.fromEntries(body.map((s) => [s.title, s.stage]));
    expect(body).toHaveLength(5);
    expect(stageOf["Project skeleton"]).toBe("done");
    expect(stageOf["Dark mode toggle"]).toBe("backlog");
    expect(stageOf["Evaluate caching options"]).toBe("backlog");
    expect(fs.existsSync(path.join(dataDir, "demo-repo", ".drover", "project.toml"))).toBe(true);

    first.child.kill("SIGINT");
    const res = await first.child;
    expect(res.exitCode).toBe(0);
    // The embedded server is gone: it removes postmaster.pid on a clean shutdown.
    expect(fs.existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);
  }, 180_000);

  it("keeps its data (and sign-ins) between runs, does not create the demo twice, and prints no setup link", async () => {
    const second = startUp(dataDir);
    const url = await second.url;
    expect((await projects(url, cookie)).filter((p) => p.isDemo)).toHaveLength(1);
    expect(setupLinkIn(second.out())).toBeUndefined();
    second.child.kill("SIGTERM");
    expect((await second.child).exitCode).toBe(0);
  }, 180_000);

  it("uses the server DATABASE_URL names instead of an embedded one", async () => {
    const t = await createTestDatabase({ empty: true });
    const own = fs.mkdtempSync(path.join(os.tmpdir(), "drover-up-url-"));
    try {
      const run = startUp(own, t.url);
      const url = await run.url;
      const admin = await createFirstAdmin(setupLinkIn(run.out())!);
      expect((await projects(url, admin)).map((p) => p.name)).toEqual(["demo"]);
      // Migrated and seeded in that database; no embedded cluster was created.
      expect(await t.db.project.count()).toBe(1);
      expect(await t.db.story.count()).toBe(5);
      expect(fs.existsSync(path.join(own, "pg"))).toBe(false);
      run.child.kill("SIGINT");
      expect((await run.child).exitCode).toBe(0);
    } finally {
      await t.drop();
      fs.rmSync(own, { recursive: true, force: true });
    }
  }, 180_000);
});

describe("drover up beyond this machine", () => {
  it("refuses to listen on 0.0.0.0 while nobody can sign in, and says how to set it up", async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), "drover-up-open-"));
    try {
      const run = startUp(own, undefined, { DROVER_WEB_HOST: "0.0.0.0" });
      await expect(run.url).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0: sign-in is not set up yet/);
      const res = await run.child;
      expect(res.exitCode).not.toBe(0);
      expect(res.all).toMatch(/pnpm drover user add --admin you@example\.com/);
      expect(res.all).not.toMatch(/Drover is running/);
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  }, 180_000);
});
