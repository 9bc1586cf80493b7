// A run that tries to leave its sandbox: reads, a write and connections outside what it may see and
// reach. Prints one JSON line {"probe": {...}} with what each attempt got; with "commit", it also
// commits that report in its worktree (so a sandboxed agent still does its work).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";

// The paths come from a file in the worktree: a command naming a hidden host path is refused before it starts.
const [outsideFile, dataFile, otherWorktreeFile, writeTarget, dbPort] = JSON.parse(fs.readFileSync("probe-args.json", "utf8"));
const mode = process.argv[2];
/** What `fn` did: `done` when it ran, else the error's code. */
const attempt = (fn, done) => {
  try {
    fn();
    return done;
  } catch (e) {
    return e.code ?? e.message;
  }
};
const direct = (host, port) =>
  new Promise((resolve) => {
    const s = net.connect(Number(port), host, () => {
      s.destroy();
      resolve("connected");
    });
    s.on("error", (e) => resolve(e.code));
    s.setTimeout(3000, () => {
      s.destroy();
      resolve("timeout");
    });
  });
// The way a proxy-aware client (curl, the CLIs) connects: CONNECT through HTTPS_PROXY when it is set.
const viaProxy = (host, port) => {
  const proxy = process.env.HTTPS_PROXY;
  if (!proxy) return direct(host, port);
  const u = new URL(proxy);
  return new Promise((resolve) => {
    const req = http.request({ host: u.hostname, port: u.port, method: "CONNECT", path: `${host}:${port}` });
    req.on("connect", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode === 200 ? "connected" : `proxy ${res.statusCode}`);
    });
    req.on("error", (e) => resolve(e.code));
    req.setTimeout(3000, () => {
      req.destroy();
      resolve("timeout");
    });
    req.end();
  });
};

const probe = {
  shadow: attempt(() => fs.readFileSync("/etc/shadow"), "read"),
  outside: attempt(() => fs.readFileSync(outsideFile), "read"),
  dataFolder: attempt(() => fs.readFileSync(dataFile), "read"),
  otherWorktree: attempt(() => fs.readFileSync(otherWorktreeFile), "read"),
  write: attempt(() => fs.writeFileSync(writeTarget, "escaped\n"), "written"),
  databaseDirect: await direct("127.0.0.1", dbPort),
  // A raw socket to an address not on the allowlist, past the proxy (TEST-NET-1: routed nowhere).
  elsewhereDirect: await direct("192.0.2.1", 443),
  database: await viaProxy("127.0.0.1", dbPort),
  elsewhere: await viaProxy("example.com", 443),
  uid: process.getuid(),
};
console.log(JSON.stringify({ probe }));
if (mode === "commit") {
  fs.writeFileSync("probe-report.json", `${JSON.stringify(probe, null, 2)}\n`);
  execFileSync("git", ["add", "probe-report.json"]);
  execFileSync("git", ["commit", "-q", "-m", "probe report"]);
}
