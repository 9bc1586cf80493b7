// Connections a sandboxed run makes past its proxy (direct-refusals.ts), run for real through the
// runner's command runner: each refused address is reported once, TCP (IPv4 and IPv6) and UDP,
// refused at once; a connection the run makes to itself, even one it resets, is not a refusal;
// the run's exit status comes through the wrapper. A root runner's feature (the runner makes the
// namespace; CI and the default setup are root): any other runner's sandbox refuses the same
// connections (an address off loopback unreachable) and reports none.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { runGuardedCommand } from "../../src/runner/guarded-command.ts";
import { RefusalParser } from "../../src/sandbox/direct-refusals.ts";

const root = process.getuid?.() === 0;

/** Connects to each target in turn and prints what each got; then sends a UDP datagram and exits 3. */
const SCRIPT = `
const net = require("node:net"), dgram = require("node:dgram");
const attempt = (port, host) => new Promise((r) => {
  const s = net.connect(port, host, () => { s.on("close", () => r("connected")); s.on("error", (e) => r(e.code)); });
  s.on("error", (e) => r(e.code));
});
(async () => {
  // Its own servers: one that accepts and closes, one that resets every connection.
  const ok = net.createServer((s) => s.end()).listen(8080, "127.0.0.1");
  const reset = net.createServer((s) => s.resetAndDestroy()).listen(8081, "127.0.0.1");
  await Promise.all([ok, reset].map((s) => new Promise((r) => s.on("listening", r))));
  const t0 = Date.now();
  const got = [];
  for (const [port, host] of [[5432, "127.0.0.1"], [5432, "127.0.0.1"], [443, "192.0.2.1"], [5433, "::1"], [80, "2001:db8::1"], [8080, "127.0.0.1"], [8081, "127.0.0.1"]])
    got.push(await attempt(port, host));
  console.log(JSON.stringify({ got, ms: Date.now() - t0 }));
  const u = dgram.createSocket("udp4");
  u.send("x", 53, "192.0.2.53", () => setTimeout(() => process.exit(3), 50));
})();
`;

it("a root runner's sandbox refuses each direct connection at once and reports it once, with the address tried", async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "drover-direct-"));
  const r = await runGuardedCommand(["node", "-e", SCRIPT], {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd },
    timeoutMs: 30_000,
    sandbox: { writable: [cwd], allow: [] },
  });
  expect(r.exitCode, r.tail).toBe(3);
  const line = r.tail.split("\n").find((l) => l.startsWith('{"got"'));
  const { got, ms } = JSON.parse(line ?? "{}");
  const away = root ? "ECONNREFUSED" : "ENETUNREACH";
  expect(got).toEqual(["ECONNREFUSED", "ECONNREFUSED", away, "ECONNREFUSED", away, "connected", "ECONNRESET"]);
  expect(ms).toBeLessThan(2_000); // refused, not left to time out
  const reported = r.tail
    .split("\n")
    .filter((l) => l.startsWith("[sandbox] refused"))
    .map((l) => /^\[sandbox\] refused (a connection|a UDP datagram) to (\S+), made directly/.exec(l)?.slice(1, 3).join(" ") ?? l);
  const all = [
    "a UDP datagram 192.0.2.53:53",
    "a connection 127.0.0.1:5432",
    "a connection 192.0.2.1:443",
    "a connection [2001:db8::1]:80",
    "a connection [::1]:5433",
  ];
  expect(reported.sort()).toEqual(root ? all.sort() : []);
});

it("reads a refusal only where a SYN is answered by a RST acknowledging it", () => {
  const p = new RefusalParser();
  expect(p.line("IP 127.0.0.1.40000 > 127.0.0.1.5432: Flags [S], seq 100, win 65495, length 0")).toBeUndefined();
  // A RST that does not acknowledge this SYN (another connection's) says nothing of it.
  expect(p.line("IP 127.0.0.1.5432 > 127.0.0.1.40000: Flags [R.], seq 0, ack 7, win 0, length 0")).toBeUndefined();
  expect(p.line("IP 127.0.0.1.40001 > 127.0.0.1.5432: Flags [S], seq 4294967295, win 65495, length 0")).toBeUndefined();
  expect(p.line("IP 127.0.0.1.5432 > 127.0.0.1.40001: Flags [R.], seq 0, ack 0, win 0, length 0")).toEqual({ host: "127.0.0.1", port: 5432, protocol: "tcp" });
  // A RST with no SYN before it (an established connection reset) is not a refusal.
  expect(p.line("IP 127.0.0.1.8081 > 127.0.0.1.40002: Flags [R.], seq 5, ack 9, win 0, length 0")).toBeUndefined();
});
