// Each adapter points its CLI at Drover's MCP server with no setup by the user: the token only in
// the environment (files name the variable), Claude's tools allowed in its permission mode, and
// nothing at all for an agent with mcp = false or when the runner offers no endpoint.
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { planClaude } from "../../src/runtimes/claude/adapter.ts";
import { planCodex } from "../../src/runtimes/codex/adapter.ts";
import { planGemini } from "../../src/runtimes/gemini/adapter.ts";
import type { AgentSpec, SpawnPlan, SpawnRequest } from "../../src/runtimes/types.ts";

const mcp = { url: "http://127.0.0.1:4555/mcp", token: "tok-SECRET-123" };
const req = (agent: Partial<AgentSpec> = {}, withMcp = true): SpawnRequest => ({
  agent: { name: "a", runtime: "x", ...agent },
  prompt: "p",
  cwd: "/w",
  sessionDir: "/s/1",
  stateDir: "/state",
  vars: {},
  ...(withMcp ? { mcp } : {}),
});
const fileNamed = (plan: SpawnPlan, end: string) => Object.entries(plan.files ?? {}).find(([p]) => p.endsWith(end))?.[1];
const noTokenInFiles = (plan: SpawnPlan) => expect(JSON.stringify(plan.files ?? {})).not.toContain(mcp.token);

describe("MCP wiring per runtime", () => {
  it("claude: --mcp-config with a generated file, the server's tools allowed, the token in the environment", () => {
    const plan = planClaude(req({ allowed_tools: ["Read"] }));
    expect(plan.args.slice(plan.args.indexOf("--mcp-config"), plan.args.indexOf("--mcp-config") + 2)).toEqual(["--mcp-config", "/s/1/drover-mcp.json"]);
    expect(plan.args[plan.args.indexOf("--allowedTools") + 1]).toBe("Read,mcp__drover");
    expect(JSON.parse(fileNamed(plan, "drover-mcp.json")!)).toEqual({
      mcpServers: { drover: { type: "http", url: mcp.url, headers: { Authorization: `Bearer \${DROVER_MCP_TOKEN}` } } },
    });
    expect(plan.env.DROVER_MCP_TOKEN).toBe(mcp.token);
    noTokenInFiles(plan);
  });

  it("codex: [mcp_servers.drover] in its config.toml with the bearer token from the environment", () => {
    const plan = planCodex(req());
    const cfg = parseToml(fileNamed(plan, "config.toml")!) as Record<string, unknown>;
    expect(cfg.mcp_servers).toEqual({ drover: { url: mcp.url, bearer_token_env_var: "DROVER_MCP_TOKEN" } });
    expect(plan.env.DROVER_MCP_TOKEN).toBe(mcp.token);
    noTokenInFiles(plan);
  });

  it("gemini: mcpServers in its settings.json, trusted, the header from the environment", () => {
    const plan = planGemini(req());
    const settings = JSON.parse(fileNamed(plan, "settings.json")!);
    expect(settings.mcpServers).toEqual({ drover: { httpUrl: mcp.url, headers: { Authorization: "Bearer $DROVER_MCP_TOKEN" }, trust: true } });
    expect(plan.env.DROVER_MCP_TOKEN).toBe(mcp.token);
    noTokenInFiles(plan);
  });

  it("mcp = false, or no endpoint from the runner: no config, no flag, no token (mcp = true: wired)", () => {
    expect(planClaude(req({ mcp: true })).args).toContain("--mcp-config");
    for (const r of [req({ mcp: false }), req({}, false)]) {
      const c = planClaude(r);
      expect(c.args).not.toContain("--mcp-config");
      expect(c.args).not.toContain("--allowedTools");
      expect(c.env.DROVER_MCP_TOKEN).toBeUndefined();
      expect(parseToml(fileNamed(planCodex(r), "config.toml")!)).not.toHaveProperty("mcp_servers");
      expect(JSON.parse(fileNamed(planGemini(r), "settings.json")!)).not.toHaveProperty("mcpServers");
      expect(planGemini(r).env.DROVER_MCP_TOKEN).toBeUndefined();
    }
  });
});
