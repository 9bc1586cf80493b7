// A test topology of separate network namespaces: the test's own namespace serves Postgres (a
// relay to the test database) and the git remote (git daemon) on a bridge address; each "host" is
// a namespace of its own on that bridge, running `drover runner` with its own data folder and HOME.
// Hosts share no path with each other: only Postgres and the git remote, over the network.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe" });

export interface Topology {
  /** The address Postgres and the git remote answer on, from every host. */
  serverIp: string;
  hosts: string[];
  /** argv prefix that runs a command inside `host`'s network namespace. */
  inHost(host: string): string[];
  /** Forwards serverIp:<port> to `target` (host:port) from this namespace; returns the port. */
  relay(target: { host: string; port: number }): Promise<number>;
  destroy(): void;
}

/** Why namespaces cannot be made here (not root, no `ip`, no kernel support), or null when they can. */
export function namespacesUnavailable(): string | null {
  if (process.getuid?.() !== 0) return "network namespaces need root (`ip netns add`); run as root (CI does)";
  try {
    const probe = `drvprobe${process.pid}`;
    ip("netns", "add", probe);
    ip("netns", "del", probe);
    return null;
  } catch (e) {
    return `\`ip netns add\` failed: ${((e as { stderr?: Buffer }).stderr?.toString() || (e as Error).message).trim()}`;
  }
}

export function createTopology(hostCount: number): Topology {
  const n = (process.pid % 200) + 20;
  const tag = `drv${n}`;
  const serverIp = `10.213.${n}.1`;
  const bridge = `${tag}br`;
  const hosts = Array.from({ length: hostCount }, (_, i) => `${tag}h${i + 1}`);
  const relays: ChildProcess[] = [];
  const destroy = () => {
    for (const r of relays) r.kill("SIGKILL");
    for (const h of hosts) {
      try {
        ip("netns", "del", h);
      } catch {}
    }
    try {
      ip("link", "del", bridge);
    } catch {}
  };
  destroy(); // leftovers of an earlier run with the same pid
  ip("link", "add", bridge, "type", "bridge");
  ip("addr", "add", `${serverIp}/24`, "dev", bridge);
  ip("link", "set", bridge, "up");
  hosts.forEach((h, i) => {
    const veth = `${tag}v${i + 1}`;
    ip("netns", "add", h);
    ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", h);
    ip("link", "set", veth, "master", bridge);
    ip("link", "set", veth, "up");
    ip("-n", h, "addr", "add", `10.213.${n}.${i + 10}/24`, "dev", "eth0");
    ip("-n", h, "link", "set", "eth0", "up");
    ip("-n", h, "link", "set", "lo", "up");
  });
  return {
    serverIp,
    hosts,
    inHost: (h) => ["ip", "netns", "exec", h],
    relay: async (target) => {
      const port = await new Promise<number>((res, rej) => {
        const srv = net.createServer().listen(0, serverIp, () => {
          const p = (srv.address() as net.AddressInfo).port;
          srv.close(() => res(p));
        });
        srv.on("error", rej);
      });
      const proc = spawn("socat", [`TCP-LISTEN:${port},bind=${serverIp},fork,reuseaddr`, `TCP:${target.host}:${target.port}`], { stdio: "ignore" });
      relays.push(proc);
      for (let i = 0; i < 100; i++) {
        const ok = await new Promise<boolean>((res) => {
          const s = net.connect(port, serverIp);
          s.once("connect", () => {
            s.destroy();
            res(true);
          });
          s.once("error", () => res(false));
        });
        if (ok) return port;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the relay on ${serverIp}:${port} did not start`);
    },
    destroy,
  };
}

/** Every process descended from `pid` (and pid itself), read from /proc at once, for a host-wide kill. */
export function processTree(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(path.join("/proc", d, "stat"), "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(d), ppid);
    } catch {}
  }
  const out = [pid];
  for (let grew = true; grew; ) {
    grew = false;
    for (const [p, pp] of parent) {
      if (out.includes(pp) && !out.includes(p)) {
        out.push(p);
        grew = true;
      }
    }
  }
  return out;
}
