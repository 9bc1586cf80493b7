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

/** The credential a request carries, wherever its API puts it (key header, Bearer token, ?key=). */
function requestCredentials(api: MockApi, req: http.IncomingMessage): string[] {
  const h = req.headers;
  const bearer = typeof h.authorization === "string" && h.authorization.startsWith("Bearer ") ? h.authorization.slice(7) : undefined;
  const query = new URL(req.url ?? "/", "http://mock").searchParams.get("key") ?? undefined;
  const byApi: Record<MockApi, Array<string | string[] | undefined>> = {
    anthropic: [h["x-api-key"], bearer],
    openai: [bearer],
    gemini: [h["x-goog-api-key"], query, bearer],
  };
  return byApi[api].flat().filter((v): v is string => typeof v === "string" && v !== "");
}

const REFUSED = "mock: missing or wrong credential";
const UNAUTHORIZED: Record<MockApi, unknown> = {
  anthropic: { type: "error", error: { type: "authentication_error", message: REFUSED } },
  openai: { error: { message: REFUSED, type: "invalid_request_error", code: "invalid_api_key", param: null } },
  gemini: { error: { code: 401, message: REFUSED, status: "UNAUTHENTICATED" } },
};

export interface MockOptions {
  /** Answer 401, as the real API does, to any request that lacks this credential. */
  credential?: string;
}

export async function startMockModel(api: MockApi, replies: Reply[], opts: MockOptions = {}): Promise<MockModelServer> {
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
      if (opts.credential !== undefined && !requestCredentials(api, req).includes(opts.credential)) {
        // Refused with the API's own 401 body, whatever the request was; recorded as a side call.
        record(false, -1);
        res.writeHead(401, { "content-type": "application/json" });
        return res.end(JSON.stringify(UNAUTHORIZED[api]));
      }
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
