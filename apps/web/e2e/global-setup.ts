// Starts what the browser tests need, once: an embedded Postgres in a temp folder (migrated and
// seeded), a local OpenID Connect provider, and the already-built app with `next start` on a free
// port bound to 127.0.0.1; then signs in as an admin and saves the session as the storage state
// every test starts with (playwright.config.ts). Returns the teardown that stops them.
// (The runner is a fixture of the tests that run agents.)
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import net from "node:net";
import { createDb } from "@drover/db";
import { startEmbeddedPostgres } from "@drover/db/embedded";
import { applyMigrations } from "@drover/db/migrate";
import { seedFixtures } from "./support/seed.ts";
import { OIDC_CLIENT, startOidcProvider } from "./support/oidc-provider.ts";
import { ADMIN, ensureUser, signInState, writeState } from "./support/sign-in.ts";
import { ADMIN_STATE } from "../playwright.config.ts";

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor(url: string, proc: ChildProcess, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with code ${proc.exitCode} before it was ready`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what} was not ready at ${url} within ${timeoutMs / 1000}s`);
}

export function start(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): ChildProcess {
  const out = fs.openSync(opts.logFile, "a");
  // Its own process group, so teardown stops it and everything it spawned.
  return spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", out, out], detached: true });
}

export function stopGroup(proc: ChildProcess | undefined): Promise<void> {
  if (!proc?.pid || proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      try {
        process.kill(-proc.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
      resolve();
    }, 15_000);
    proc.once("exit", () => {
      clearTimeout(t);
      resolve();
    });
    try {
      process.kill(-proc.pid!, "SIGTERM");
    } catch {
      clearTimeout(t);
      resolve();
    }
  });
}

export default async function globalSetup() {
  if (!fs.existsSync(path.join(webDir, ".next", "BUILD_ID"))) {
    throw new Error("apps/web/.next is missing: build the app first (`pnpm build`, or `pnpm --filter @drover/web build`), then run the browser tests.");
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drover-e2e-"));
  fs.chmodSync(tmp, 0o755); // the embedded server runs as the postgres user when we are root
  const logDir = path.join(webDir, "test-results", "e2e-logs");
  fs.mkdirSync(logDir, { recursive: true });
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, "db"), fast: true, preferredPort: 0 });
  let web: ChildProcess | undefined;
  let oidc: Awaited<ReturnType<typeof startOidcProvider>> | undefined;
  const teardown = async () => {
    await stopGroup(web);
    await oidc?.stop();
    await pg.stop().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await applyMigrations(pg.url);
    const db = createDb(pg.url, { max: 3 });
    const seeded = await seedFixtures(db, tmp);
    await ensureUser(db, { ...ADMIN, role: "admin" });
    await db.$disconnect();

    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    oidc = await startOidcProvider({ port: await freePort(), redirectUri: `${baseURL}/api/auth/callback/oidc`, emailDomain: "sso.example.org" });
    const env = {
      ...process.env,
      DATABASE_URL: pg.url,
      // The secret key file the app generates goes to the suite's temp folder.
      DROVER_DATA_DIR: path.join(tmp, "data"),
      LOG_LEVEL: "warn",
      NODE_ENV: "production" as const,
      DROVER_PUBLIC_URL: baseURL,
      DROVER_OIDC_ISSUER: oidc.issuer,
      DROVER_OIDC_CLIENT_ID: OIDC_CLIENT.id,
      DROVER_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
      DROVER_OIDC_ALLOWED_DOMAIN: "sso.example.org",
      DROVER_OIDC_NAME: "Example SSO",
    };
    web = start(path.join(webDir, "node_modules", ".bin", "next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
      cwd: webDir,
      env,
      logFile: path.join(logDir, "web.log"),
    });
    await waitFor(`${baseURL}/sign-in`, web, "next start");
    writeState(ADMIN_STATE, await signInState(baseURL, ADMIN.email, ADMIN.password));

    process.env.DROVER_E2E_BASE_URL = baseURL;
    process.env.DATABASE_URL = pg.url;
    process.env.DROVER_E2E_TMP = tmp;
    process.env.DROVER_E2E_PG_ADMIN_URL = pg.adminUrl;
    process.env.DROVER_E2E_SEED = JSON.stringify(seeded);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
