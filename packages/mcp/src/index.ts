export { MCP_PATH, MCP_SERVER_NAME, type McpHttpServer, startMcpHttpServer } from "./http-server.ts";
export { type SessionScope, sessionScope } from "./scope.ts";
export { SessionTokens } from "./session-tokens.ts";
export { TOOL_NAMES, type ToolDeps } from "./tools.ts";
