// The database restarts while an agent streams output: the agent keeps running, the runner buffers
// its events, reconnects and flushes them in order; nothing is lost. Uses its own embedded
// PostgreSQL (stopped and started here) so other test files never see the outage.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db } from "@drover/db";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@drover/db/embedded";
import { applyMigrations } from "@drover/db/migrate";
import { makeRepo, seedProject, seedSession, spawnRunner, waitFor, type RunnerProcess } from "./helpers.ts";

let pgDir: string;
let server: EmbeddedDatabase;
let proxy: net.Server;
let proxyUrl: string;
let db: Db;
let r: RunnerProcess | undefined;

beforeAll(async () => {
  pgDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-restart-pg-"));
  fs.chmodSync(pgDir, 0o755); // the server runs as the postgres user when we are root
  server = await startEmbeddedPostgres({ dataDir: pgDir, fast: true, preferredPort: 0 });
  await applyMigrations(server.url);
  // The restarted server may come back on another port: clients talk to a fixed local port that
  // forwards each new connection to wherever the server is now.
  proxy = net.createServer((client) => {
    const up = net.connect(server.port, "127.0.0.1");
    client.on("error", () => up.destroy());
    up.on("error", () => client.destroy());
    client.on("close", () => up.destroy());
    up.on("close", () => client.destroy());
    client.pipe(up).pipe(client);
  });
  await new Promise<void>((res) => proxy.listen(0, "127.0.0.1", res));
  proxyUrl = server.url.replace(/:(\d+)\//, `:${(proxy.address() as net.AddressInfo).port}/`);
  db = createDb(proxyUrl);
}, 180_000);

afterAll(async () => {
  if (process.env.DROVER_TEST_SHOW_RUNNERS) for (const x of [r]) if (x) console.log(`--- runner ${x.id}\n${x.output()}`);
  r?.proc.kill("SIGKILL");
  await r?.proc;
  await db?.$disconnect();
  await server?.stop();
  proxy?.close();
  fs.rmSync(pgDir, { recursive: true, force: true });
}, 60_000);

const LINES = 3000;

it("no event lost and order kept across a database restart", { timeout: 240_000 }, async () => {
  const p = await seedProject(db, await makeRepo());
  const script = `let i = 0; const t = setInterval(() => { for (let k = 0; k < 3; k++) { i++; console.log("line-" + i); } if (i >= ${LINES}) { clearInterval(t); } }, 5);`;
  const s = await seedSession(db, p.id, { command: [process.execPath, "-e", script] });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-restart-data-"));
  r = await spawnRunner(proxyUrl, ["--heartbeat-secs", "1", "--poll-ms", "300", "--lease-secs", "60"], dataDir);

  await waitFor(() => db.sessionEvent.count({ where: { sessionId: s.id, kind: "text" } }).then((n) => n > 100), "first events stored", 60_000, 50);
  await server.stop();
  await new Promise((res) => setTimeout(res, 3_000)); // the agent goes on printing meanwhile
  server = await startEmbeddedPostgres({ dataDir: pgDir, fast: true, preferredPort: server.port });

  const done = await waitFor(
    async () => {
      const row = await db.agentSession.findUniqueOrThrow({ where: { id: s.id } });
      return ["completed", "failed"].includes(row.status) ? row : undefined;
    },
    "session to end",
    120_000,
    250,
  );
  expect(done.status).toBe("completed");
  const evs = await db.sessionEvent.findMany({ where: { sessionId: s.id }, orderBy: { seq: "asc" } });
  expect(evs.map((e) => e.seq)).toEqual(evs.map((_, i) => i + 1));
  expect(evs.filter((e) => e.kind === "text").map((e) => e.text)).toEqual(Array.from({ length: LINES }, (_, i) => `line-${i + 1}`));
  expect(evs.some((e) => e.kind === "error" && /dropped/.test(e.text ?? ""))).toBe(false);
  expect(r.proc.exitCode).toBeNull(); // the runner survived the outage
  expect(r.output()).toMatch(/event write failed; will retry/); // the outage really hit it
});
