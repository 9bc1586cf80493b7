// Gemini CLI (`gemini -p "" --output-format stream-json`, prompt on stdin): argv, environment
// and the settings file that carries what it has no flag for (auth type, turn limit, retries).
import path from "node:path";
import { apiRetries, stateDir } from "../shared.ts";
import type { RuntimeAdapter, SpawnPlan, SpawnRequest } from "../types.ts";
import { GeminiParser } from "./parser.ts";
import { loginLinks } from "../credentials.ts";
import { geminiMcpServers, mcpEnv, mcpFor } from "../mcp.ts";

export const GEMINI_PACKAGE = "@google/gemini-cli";

/** Gemini asks for an auth type: a key or Vertex when the env has one, else the user's Google login when linked. */
function authType(req: SpawnRequest): string {
  const env = req.agent.env ?? {};
  if (env.GEMINI_API_KEY || env.GOOGLE_API_KEY) return "gemini-api-key";
  if (/^(1|true)$/i.test(env.GOOGLE_GENAI_USE_VERTEXAI ?? "")) return "vertex-ai";
  if (req.logins?.includes(".gemini/oauth_creds.json")) return "oauth-personal";
  return "gemini-api-key"; // fails at once with Gemini's own "set GEMINI_API_KEY" words
}

function geminiSettings(req: SpawnRequest): Record<string, unknown> {
  const retries = apiRetries(req);
  const mcp = mcpFor(req);
  return {
    security: { auth: { selectedType: authType(req) } },
    // -1 is Gemini's "no limit".
    model: { maxSessionTurns: req.agent.max_turns ?? -1 },
    ...(retries !== undefined ? { general: { maxAttempts: retries + 1 } } : {}),
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    ...(mcp ? { mcpServers: geminiMcpServers(mcp) } : {}),
  };
}

export function planGemini(req: SpawnRequest): SpawnPlan {
  const { agent } = req;
  // GEMINI_CLI_HOME replaces the home folder for everything Gemini keeps (settings, chats), so
  // conversations survive the per-session HOME and a later session can --resume them.
  const geminiHome = path.join(stateDir(req), "gemini");
  let prompt = req.prompt;
  if (agent.system_prompt) prompt = `${agent.system_prompt}\n\n${prompt}`;
  // The prompt goes through stdin (Gemini puts piped stdin before the -p text; an empty -p keeps
  // it headless), so long prompts never hit argv limits. Without -m Gemini first makes an extra
  // model-routing call.
  const args = ["-p", "", "--skip-trust", "--yolo", "--output-format", "stream-json"];
  if (agent.model) args.push("-m", agent.model);
  // allowed_tools is not passed: Gemini's --allowed-tools is deprecated and means "no
  // confirmation", which --yolo already grants to every tool.
  if (req.resumeId) args.push("--resume", req.resumeId);
  const mcp = mcpFor(req);
  const env: Record<string, string> = { GEMINI_CLI_HOME: geminiHome, ...(mcp ? mcpEnv(mcp) : {}) };
  for (const k of Object.keys(agent.env ?? {})) delete env[k];
  return {
    file: "gemini",
    args,
    env,
    stdin: prompt,
    files: { [path.join(geminiHome, ".gemini", "settings.json")]: `${JSON.stringify(geminiSettings(req), null, 2)}\n` },
    installHint: GEMINI_PACKAGE,
    // A Google login lives in ~/.gemini/oauth_creds.json: linked under GEMINI_CLI_HOME.
    links: loginLinks("gemini", geminiHome),
  };
}

export const geminiAdapter: RuntimeAdapter = {
  name: "gemini",
  plan: planGemini,
  parser: () => new GeminiParser(),
};
