// The embedded server's port when the wanted one is held (by another Drover or any program): a
// default start takes another port at once and says so; a start fixed to that port fails at once
// saying the port is the problem (not "another server is using that folder").
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../src/embedded.ts";

let holder: net.Server;
let held: number;
const dirs: string[] = [];

function dataDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "drover-port-"));
  fs.chmodSync(d, 0o755); // as root the server runs as the postgres user
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  // A real listener on the loopback address the embedded server binds.
  holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  held = (holder.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => holder.close(r));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

it("a held preferred port: starts on another port at once and says what happened", async () => {
  const started = Date.now();
  const pg = await startEmbeddedPostgres({ dataDir: dataDir(), fast: true, preferredPort: held });
  try {
    expect(pg.port).not.toBe(held);
    expect(pg.notice).toBe(`port ${held} is in use (another Drover, or another program), so the database uses port ${pg.port}`);
    expect(Date.now() - started).toBeLessThan(30_000);
  } finally {
    await pg.stop();
  }
}, 60_000);

it("a fixed port that is held: fails at once, naming the port as the cause", async () => {
  const started = Date.now();
  const err = await startEmbeddedPostgres({ dataDir: dataDir(), fast: true, port: held }).then(
    () => new Error("started on a held port"),
    (e: Error) => e,
  );
  expect(err.message).toContain(`could not listen on port ${held}: another program (perhaps another Drover) is using it`);
  expect(err.message).not.toContain("using that folder");
  expect(Date.now() - started).toBeLessThan(30_000);
}, 60_000);
