// Codex (`codex exec --json`): argv, environment and $CODEX_HOME/config.toml. Codex ignores
// OPENAI_BASE_URL, so a base URL in the agent's env becomes a custom model provider.
import path from "node:path";
import { stringify } from "smol-toml";
import { apiRetries, stateDir } from "../shared.ts";
import type { RuntimeAdapter, SpawnPlan, SpawnRequest } from "../types.ts";
import { CodexParser } from "./parser.ts";
import { loginLinks } from "../credentials.ts";
import { codexMcpServers, mcpEnv, mcpFor } from "../mcp.ts";

export const CODEX_PACKAGE = "@openai/codex";

function codexConfig(req: SpawnRequest): Record<string, unknown> {
  const env = req.agent.env ?? {};
  const retries = apiRetries(req);
  const cfg: Record<string, unknown> = {};
  const baseUrl = env.OPENAI_BASE_URL;
  if (baseUrl) {
    cfg.model_provider = "drover";
    cfg.model_providers = {
      drover: {
        name: "drover",
        base_url: baseUrl,
        env_key: "OPENAI_API_KEY",
        wire_api: "responses",
        ...(retries !== undefined ? { request_max_retries: retries, stream_max_retries: retries } : {}),
      },
    };
  }
  // Without a base URL Codex uses its built-in `openai` provider, which config.toml may not
  // override (0.169 refuses to start: "reserved built-in provider IDs"): its own retries apply.
  // workspace-write lets Codex write the worktree only, and keeps the worktree's git dir read-only,
  // but a commit writes its index there and objects and refs in the common git dir: without them
  // `git commit` fails on index.lock. Those folders and no more.
  if (req.writableDirs?.length) cfg.sandbox_workspace_write = { writable_roots: req.writableDirs };
  const mcp = mcpFor(req);
  if (mcp) cfg.mcp_servers = codexMcpServers(mcp);
  return cfg;
}

export function planCodex(req: SpawnRequest): SpawnPlan {
  const { agent } = req;
  // Threads (rollouts) live in CODEX_HOME, outside the per-session HOME, so a later session can resume.
  const codexHome = path.join(stateDir(req), "codex");
  const common = ["--json", "--skip-git-repo-check"];
  if (agent.model) common.push("-m", agent.model);
  // `-` reads the prompt from stdin: long prompts never go through argv.
  // Inside Drover's sandbox (worktree and git dirs writable, network through its allowlist) Codex's
  // own would be a second bubblewrap nested in ours, which needs user namespaces there and keeps its
  // commits from the git dirs: ours is the boundary. Without ours, Codex's workspace-write is.
  const mode = req.sandboxed ? "danger-full-access" : "workspace-write";
  const args = req.resumeId
    ? // `exec resume` takes no --sandbox flag; the same setting goes through -c.
      ["exec", "resume", ...common, "-c", `sandbox_mode="${mode}"`, req.resumeId, "-"]
    : ["exec", ...common, "--sandbox", mode, "-"];
  let prompt = req.prompt;
  if (agent.system_prompt) prompt = `${agent.system_prompt}\n\n${prompt}`;
  const mcp = mcpFor(req);
  const env: Record<string, string> = { CODEX_HOME: codexHome, ...(mcp ? mcpEnv(mcp) : {}) };
  for (const k of Object.keys(agent.env ?? {})) delete env[k];
  return {
    file: "codex",
    args,
    env,
    stdin: prompt,
    files: { [path.join(codexHome, "config.toml")]: `${stringify(codexConfig(req))}\n` },
    installHint: CODEX_PACKAGE,
    // A `codex login` lives in ~/.codex/auth.json: linked into CODEX_HOME.
    links: loginLinks("codex", codexHome),
  };
}

export const codexAdapter: RuntimeAdapter = {
  name: "codex",
  plan: planCodex,
  parser: (req) => new CodexParser({ maxTurns: req?.agent.max_turns, model: req?.agent.model }),
};
