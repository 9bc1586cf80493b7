export { type McpHttpServer, startMcpHttpServer } from "./http-server.ts";
export type { SessionScope } from "./scope.ts";
export { SessionTokens } from "./session-tokens.ts";
export { TOOL_NAMES } from "./tools.ts";
