// The one way out of a sandbox's network namespace: an HTTP proxy on a Unix socket (bound into the
// sandbox, where a bridge listens on 127.0.0.1) that lets a run reach only its allowlist. It
// handles CONNECT (HTTPS and any TCP) and plain proxied HTTP requests (http:// base URLs); every
// refusal is reported with the host and port the run tried. Small and ours on purpose: this check
// is the policy, and a per-run allowlist with per-run refusal reports is all it does.
import http from "node:http";
import net from "node:net";
import { networkAllowed } from "@drover/core/runtimes/network";

export interface NetworkProxy {
  socketPath: string;
  close(): Promise<void>;
}

/** "host:port" of a CONNECT target; undefined when malformed. */
function connectTarget(target: string): { host: string; port: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(target);
  if (!m) return undefined;
  const port = Number(m[2]);
  return port > 0 && port < 65536 ? { host: m[1]!.replace(/^\[(.*)\]$/, "$1"), port } : undefined;
}

/** The body of a 502: which host:port the proxy could not reach, and why (ECONNREFUSED, ENOTFOUND...). */
function unreachable(target: string, e: NodeJS.ErrnoException): string {
  return `Drover sandbox proxy: cannot reach ${target}: ${e.code ?? e.message}\n`;
}

export async function startNetworkProxy(opts: {
  socketPath: string;
  allow: readonly string[];
  onRefused: (host: string, port: number) => void;
}): Promise<NetworkProxy> {
  const sockets = new Set<net.Socket>();
  const refuse = (host: string, port: number) => {
    try {
      opts.onRefused(host, port);
    } catch {
      // a reporting failure must not take the proxy down
    }
  };

  const server = http.createServer((req, res) => {
    // A proxied plain-HTTP request carries an absolute URL.
    let url: URL;
    try {
      url = new URL(req.url ?? "");
    } catch {
      res.writeHead(400).end("a proxy request needs an absolute http:// URL\n");
      return;
    }
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    if (url.protocol !== "http:" || !networkAllowed(opts.allow, host, port)) {
      refuse(host, port);
      res.writeHead(403, { "content-type": "text/plain" }).end(`Drover sandbox: ${host}:${port} is not on this run's network allowlist\n`);
      return;
    }
    const headers = { ...req.headers };
    delete headers["proxy-connection"];
    delete headers["proxy-authorization"];
    const upstream = http.request({ host, port, method: req.method, path: `${url.pathname}${url.search}`, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    // An unreachable upstream must look like one (the connection drops), not like an HTTP error
    // from the API: Claude Code would take a 502 here for the API's own (api_error, not network).
    upstream.on("error", () => req.socket.destroy());
    req.pipe(upstream);
  });

  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = connectTarget(req.url ?? "");
    client.on("error", () => {});
    if (!target || !networkAllowed(opts.allow, target.host, target.port)) {
      const t = target ?? { host: req.url ?? "?", port: 0 };
      refuse(t.host, t.port);
      client.end("HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nDrover sandbox: not on this run's network allowlist\n");
      return;
    }
    let established = false;
    const upstream = net.connect(target.port, target.host, () => {
      established = true;
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once("close", () => sockets.delete(upstream));
    upstream.on("error", (e: NodeJS.ErrnoException) => {
      // Before the tunnel is up, answer as a proxy does: clients read a failed CONNECT as a failed
      // connection, while a dropped one sends undici (Gemini CLI, whose fetch tunnels even http://)
      // into an endless reconnect loop instead of failing.
      if (!established) client.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${unreachable(req.url ?? "", e)}`);
      else client.destroy();
    });
    client.once("close", () => upstream.destroy());
  });
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.socketPath, () => resolve());
  });
  return {
    socketPath: opts.socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
