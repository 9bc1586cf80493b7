// What a mock model API handler gets and how it answers: JSON, or a server-sent event stream.
import type http from "node:http";
import type { Json } from "@drover/core/runtimes/shared";
import type { Script } from "./script.ts";

interface HandlerContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  path: string;
  /** The request's JSON; handlers read each field optionally (a non-JSON body has none of them). */
  body: Json | undefined;
  script: Script;
  record(main: boolean, replyIndex: number): void;
}

export type Handler = (ctx: HandlerContext) => void;

export function sse(res: http.ServerResponse, status = 200, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...headers,
  });
  return {
    event(name: string | undefined, data: unknown) {
      res.write(`${name ? `event: ${name}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      res.end();
    },
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
