// The sandbox's proxy, alone: a CONNECT to an allowed target that cannot be reached gets a
// proxy's answer (502 naming host:port and the error), not a dropped connection, which sends
// undici (Gemini CLI) into an endless reconnect loop; a plain HTTP request is dropped.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNetworkProxy, type NetworkProxy } from "../../src/sandbox/network-proxy.ts";
import { closedPort } from "../mock-models/server.ts";

let dir: string;
let proxy: NetworkProxy;
let port: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-proxy-"));
  port = await closedPort();
  proxy = await startNetworkProxy({ socketPath: path.join(dir, "proxy.sock"), allow: [`127.0.0.1:${port}`], onRefused: () => {} });
});
afterAll(async () => {
  await proxy.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the sandbox network proxy, when an allowed upstream is down", () => {
  it("answers a CONNECT with 502 naming host:port and the error", async () => {
    const req = http.request({ socketPath: proxy.socketPath, method: "CONNECT", path: `127.0.0.1:${port}` });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on("connect", (r: http.IncomingMessage, socket, head: Buffer) => {
        let text = head.toString("utf8"); // what came with the status line
        socket.setEncoding("utf8");
        socket.on("data", (c: string) => (text += c));
        socket.on("end", () => resolve(Object.assign(r, { text })));
      });
      req.on("error", reject);
      req.end();
    });
    expect(res.statusCode).toBe(502);
    expect((res as http.IncomingMessage & { text: string }).text).toContain(`cannot reach 127.0.0.1:${port}: ECONNREFUSED`);
  });

  it("drops a plain proxied HTTP request, so the client sees a network failure and not an API's HTTP error", async () => {
    const err = await new Promise<Error>((resolve, reject) => {
      http
        .request({ socketPath: proxy.socketPath, method: "GET", path: `http://127.0.0.1:${port}/v1/x` }, () => reject(new Error("got a response")))
        .on("error", resolve)
        .end();
    });
    expect(err.message).toContain("socket hang up");
  });
});
