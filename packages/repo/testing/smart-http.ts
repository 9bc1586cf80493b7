// git's smart HTTP (`git http-backend` as CGI) for tests, behind a small server that answers 401
// unless the request carries `Authorization: Basic base64(x-access-token:<token>)`: a private
// HTTPS remote as a forge serves it. Records each request's path and whether it was authorized.
import { spawn } from "node:child_process";
import http from "node:http";
import type net from "node:net";
import path from "node:path";

export interface SmartHttpRemote {
  /** http://127.0.0.1:<port>/<name of the bare repository> */
  url: string;
  requests: Array<{ path: string; authorized: boolean }>;
  stop(): void;
}

/** Serves the bare repository `bare` (and its siblings) on a free local port. */
export async function serveSmartHttp(bare: string, token: string): Promise<SmartHttpRemote> {
  const want = `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
  const requests: Array<{ path: string; authorized: boolean }> = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    const authorized = req.headers.authorization === want;
    requests.push({ path: u.pathname, authorized });
    if (!authorized) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' });
      res.end("token required\n");
      return;
    }
    const cgi = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        GIT_PROJECT_ROOT: path.dirname(bare),
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: u.pathname,
        QUERY_STRING: u.search.replace(/^\?/, ""),
        REQUEST_METHOD: req.method ?? "GET",
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"] ?? ""),
        REMOTE_USER: "x-access-token",
        REMOTE_ADDR: "127.0.0.1",
      } as Record<string, string> as NodeJS.ProcessEnv, // the CGI's whole environment (web's typing wants NODE_ENV in every env)
      stdio: ["pipe", "pipe", "ignore"],
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on("data", (c: Buffer) => chunks.push(c));
    cgi.on("close", () => {
      const out = Buffer.concat(chunks);
      const split = out.indexOf("\r\n\r\n");
      const head = out.subarray(0, split).toString().split("\r\n");
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head) {
        const [k = "", ...v] = line.split(":");
        if (k.toLowerCase() === "status") status = Number(v.join(":").trim().split(" ")[0]);
        else headers[k] = v.join(":").trim();
      }
      res.writeHead(status, headers);
      res.end(out.subarray(split + 4));
    });
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  const port = (server.address() as net.AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/${path.basename(bare)}`, requests, stop: () => server.close() };
}
