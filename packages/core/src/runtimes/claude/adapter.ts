// Claude Code (`claude -p --output-format stream-json`): argv, environment and stdin for one run.
import path from "node:path";
import { badRequest } from "../../errors.ts";
import { apiRetries, stateDir } from "../shared.ts";
import type { RuntimeAdapter, SpawnPlan, SpawnRequest } from "../types.ts";
import { ClaudeParser } from "./parser.ts";
import { loginLinks } from "../credentials.ts";
import { claudeMcpConfig, MCP_SERVER_NAME, mcpEnv, mcpFor } from "../mcp.ts";

export const CLAUDE_PACKAGE = "@anthropic-ai/claude-code";
const BYPASS = new Set(["bypassPermissions"]);

export function planClaude(req: SpawnRequest): SpawnPlan {
  const { agent } = req;
  const agentEnv = agent.env ?? {};
  const permission = agent.permission_mode ?? "acceptEdits";
  // Claude Code refuses to skip permission checks as root unless told it runs in a sandbox. In the
  // runner's sandbox it is an unprivileged user, and IS_SANDBOX tells it the truth.
  if (BYPASS.has(permission) && !req.sandboxed && process.getuid?.() === 0 && agentEnv.IS_SANDBOX !== "1") {
    throw badRequest(
      `Agent "${agent.name}": permission_mode = "bypassPermissions" is refused by Claude Code when it runs as root. ` +
        `Run the runner as another user, or, if the runner is itself sandboxed (container, VM), set env = { IS_SANDBOX = "1" } on the agent.`,
    );
  }
  const args = ["-p", "--output-format", "stream-json", "--verbose", "--permission-mode", permission];
  if (agent.model) args.push("--model", agent.model);
  const mcp = mcpFor(req);
  // Drover's tools are allowed whatever the permission mode (a bare server name allows all its tools).
  const allowed = [...(agent.allowed_tools ?? []), ...(mcp ? [`mcp__${MCP_SERVER_NAME}`] : [])];
  if (allowed.length) args.push("--allowedTools", allowed.join(","));
  const mcpConfig = path.join(req.sessionDir, "drover-mcp.json");
  if (mcp) args.push("--mcp-config", mcpConfig);
  if (agent.max_turns !== undefined) args.push("--max-turns", String(agent.max_turns));
  if (agent.max_budget_usd !== undefined) args.push("--max-budget-usd", String(agent.max_budget_usd));
  if (agent.system_prompt) args.push("--append-system-prompt", agent.system_prompt);
  if (req.resumeId) args.push("--resume", req.resumeId);

  const claudeDir = path.join(stateDir(req), "claude");
  const env: Record<string, string> = {
    DISABLE_TELEMETRY: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    // Conversations live here, outside the per-session HOME, so a later session can --resume.
    CLAUDE_CONFIG_DIR: claudeDir,
    ...(req.sandboxed ? { IS_SANDBOX: "1" } : {}),
  };
  const retries = apiRetries(req);
  if (retries !== undefined) env.CLAUDE_CODE_MAX_RETRIES = String(retries);
  if (mcp) Object.assign(env, mcpEnv(mcp));
  // The agent's own env wins (the runner applies it too; the plan must not override it).
  for (const k of Object.keys(agentEnv)) delete env[k];

  // A `claude login` (subscription) lives in ~/.claude/.credentials.json: linked into CLAUDE_CONFIG_DIR.
  return {
    file: "claude",
    args,
    env,
    stdin: req.prompt,
    ...(mcp ? { files: { [mcpConfig]: claudeMcpConfig(mcp) } } : {}),
    installHint: CLAUDE_PACKAGE,
    links: loginLinks("claude-code", claudeDir),
  };
}

export const claudeAdapter: RuntimeAdapter = {
  name: "claude-code",
  plan: planClaude,
  parser: () => new ClaudeParser(),
};
