// A scriptable local mock of a model API (Anthropic, Gemini or OpenAI Responses), so real agent
// CLIs can run end to end without network. Fakes live only at this boundary.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Json } from "@drover/core/runtimes/shared";
import type { Handler } from "./respond.ts";
import { Script, type RecordedRequest, type Reply } from "./script.ts";
import { anthropicHandler } from "./anthropic.ts";
import { geminiHandler } from "./gemini.ts";
import { openaiHandler } from "./openai.ts";

export type MockApi = "anthropic" | "gemini" | "openai";

export interface MockModelServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests that belong to the agent loop (they carried tools). */
  mainRequests(): RecordedRequest[];
  close(): Promise<void>;
}

const handlers: Record<MockApi, Handler> = {
  anthropic: anthropicHandler,
  gemini: geminiHandler,
  openai: openaiHandler,
};

export async function startMockModel(api: MockApi, replies: Reply[]): Promise<MockModelServer> {
  const script = new Script(replies);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const buf: Buffer[] = [];
    req.on("data", (c: Buffer) => buf.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(buf).toString("utf8");
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // Keep non-JSON bodies as text.
      }
      const path = req.url ?? "/";
      const record = (main: boolean, replyIndex: number) => requests.push({ method: req.method ?? "", path, headers: req.headers, body, main, replyIndex });
      try {
        handlers[api]({ req, res, path, body: body as Json | undefined, script, record });
      } catch (err) {
        record(false, -1);
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `mock failure: ${String(err)}` } }));
      }
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    mainRequests: () => requests.filter((r) => r.main),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on loopback that nothing listens on (for "server down"). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
