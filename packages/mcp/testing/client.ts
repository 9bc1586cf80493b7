// The SDK's own MCP client, for tests: connects with a session's bearer token and calls a tool.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

export async function connectMcp(url: string, token: string): Promise<Client> {
  const client = new Client({ name: "drover-test", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export const resultText = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("");
