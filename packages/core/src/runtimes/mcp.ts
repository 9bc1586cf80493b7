// How each CLI is pointed at Drover's MCP server (apps/runner serves it; packages/mcp is the
// server). The token travels in the environment only: the config files name the variable, so no
// file a CLI keeps between sessions (Codex's config.toml, Gemini's settings.json) holds a token.
import type { SpawnRequest } from "./types.ts";

/** The server's name in every CLI's config; Claude Code calls its tools `mcp__drover__<tool>`. */
export const MCP_SERVER_NAME = "drover";
/** The variable that carries the session's bearer token. */
const MCP_TOKEN_ENV = "DROVER_MCP_TOKEN";

export interface McpEndpoint {
  /** http://127.0.0.1:<port>/mcp, served by the runner. */
  url: string;
  /** The session's bearer token, valid while the session runs. */
  token: string;
}

/** The endpoint when this run gets Drover's tools: the runner offered one and the roster did not say `mcp = false`. */
export function mcpFor(req: SpawnRequest): McpEndpoint | undefined {
  return req.mcp && req.agent.mcp !== false ? req.mcp : undefined;
}

export const mcpEnv = (m: McpEndpoint): Record<string, string> => ({ [MCP_TOKEN_ENV]: m.token });

/** Claude Code's --mcp-config file (its `${VAR}` expansion fills the header from the environment). */
export function claudeMcpConfig(m: McpEndpoint): string {
  return `${JSON.stringify(
    { mcpServers: { [MCP_SERVER_NAME]: { type: "http", url: m.url, headers: { Authorization: `Bearer \${${MCP_TOKEN_ENV}}` } } } },
    null,
    2,
  )}\n`;
}

/** Codex's [mcp_servers.drover] (streamable HTTP, bearer token from the environment). */
export const codexMcpServers = (m: McpEndpoint) => ({ [MCP_SERVER_NAME]: { url: m.url, bearer_token_env_var: MCP_TOKEN_ENV } });

/** Gemini's settings.json mcpServers (it expands $VAR in settings); trusted: no confirmation per call. */
export const geminiMcpServers = (m: McpEndpoint) => ({
  [MCP_SERVER_NAME]: { httpUrl: m.url, headers: { Authorization: `Bearer $${MCP_TOKEN_ENV}` }, trust: true },
});
