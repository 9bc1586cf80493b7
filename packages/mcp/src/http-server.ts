// Drover's MCP server over Streamable HTTP, on loopback, one per runner: every request carries a
// session's bearer token, which picks the scope the tools run in. Stateless (a server per request,
// as the SDK's stateless example): nothing outlives a request, so a revoked token or an ended
// session is refused on its very next call.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { MCP_SERVER_NAME } from "@drover/core/runtimes/mcp";
import type { Db } from "@drover/db";
import { ScopeError, sessionScope } from "./scope.ts";
import type { SessionTokens } from "./session-tokens.ts";
import { registerDroverTools, type ToolDeps } from "./tools.ts";

const MCP_PATH = "/mcp";
/** A request body larger than this is refused before it is parsed (tool inputs have their own, smaller limits). */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface McpHttpServer {
  /** http://127.0.0.1:<port>/mcp */
  url: string;
  /** host:port, for a sandbox's network allowlist. */
  hostPort: string;
  close(): Promise<void>;
}

function reply(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32001, message }, id: null }));
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ScopeError(413, `Request too large: at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(c as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export async function startMcpHttpServer(opts: { db: Db; tokens: SessionTokens; tools?: Omit<ToolDeps, "db">; port?: number }): Promise<McpHttpServer> {
  const { db, tokens } = opts;
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e) => {
      opts.tools?.onError?.(e, "http");
      if (!res.headersSent) reply(res, 500, "Drover's MCP server failed on this request");
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (new URL(req.url ?? "/", "http://x").pathname !== MCP_PATH) return reply(res, 404, `Not found: Drover's MCP endpoint is ${MCP_PATH}`);
    // Stateless: no server-sent stream to open (GET) and no session to delete (DELETE).
    if (req.method !== "POST") return reply(res, 405, "Method not allowed: send JSON-RPC with POST");
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const sessionId = token ? tokens.sessionFor(token) : undefined;
    if (sessionId === undefined) return reply(res, 401, "Unknown or revoked Drover token: the tools work only while their session runs");
    let body: unknown;
    try {
      const scope = await sessionScope(db, sessionId);
      body = await readBody(req);
      const mcp = new McpServer({ name: MCP_SERVER_NAME, version: "1.0.0" });
      registerDroverTools(mcp, scope, { db, ...opts.tools });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on("close", () => {
        void transport.close();
        void mcp.close();
      });
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (e) {
      if (e instanceof ScopeError) return reply(res, e.status, e.message);
      if (e instanceof SyntaxError) return reply(res, 400, `Bad request: the body is not JSON (${e.message})`);
      throw e;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${MCP_PATH}`,
    hostPort: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
