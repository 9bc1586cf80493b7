// Credentials per runtime: the precedence (roster literal < runner environment < Drover secret),
// which runner variables reach which runtime, what is masked, and where login files are linked.
import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { agentEnv } from "../../src/runtimes/agent-env.ts";
import { loginLinks } from "../../src/runtimes/credentials.ts";
import { loginFileSecrets, maskDeep, MASK, secretMask } from "../../src/runtimes/secret-mask.ts";
import { planClaude } from "../../src/runtimes/claude/adapter.ts";
import { planCodex } from "../../src/runtimes/codex/adapter.ts";
import { planGemini } from "../../src/runtimes/gemini/adapter.ts";
import type { SpawnRequest } from "../../src/runtimes/types.ts";

const runnerEnv = {
  ANTHROPIC_API_KEY: "sk-ant-runner-000",
  OPENAI_API_KEY: "sk-openai-runner-111",
  GEMINI_API_KEY: "gemini-runner-222",
  DATABASE_URL: "postgres://secret",
};

describe("agentEnv precedence: roster literal < runner environment < Drover secret", () => {
  it("runner variables override roster literals, secrets override both; sources are named", () => {
    const r = agentEnv({
      runtime: "claude-code",
      rosterEnv: { ANTHROPIC_API_KEY: "sk-literal", ANTHROPIC_BASE_URL: "http://mock", ANTHROPIC_AUTH_TOKEN: "secret:tok", OTHER: "x" },
      runnerEnv: { ...runnerEnv, ANTHROPIC_AUTH_TOKEN: "from-runner-token" },
      secrets: new Map([["tok", "from-secret-token"]]),
    });
    expect(r.env).toEqual({
      ANTHROPIC_API_KEY: "sk-ant-runner-000",
      ANTHROPIC_BASE_URL: "http://mock",
      ANTHROPIC_AUTH_TOKEN: "from-secret-token",
      OTHER: "x",
    });
    expect(r.sources).toEqual({ ANTHROPIC_API_KEY: "runner", ANTHROPIC_BASE_URL: "roster", ANTHROPIC_AUTH_TOKEN: "secret", OTHER: "roster" });
    expect(r.sensitive.sort()).toEqual(["from-secret-token", "sk-ant-runner-000"]);
  });

  it("a runtime gets only its own runner variables; a command agent only those its roster names", () => {
    const codex = agentEnv({ runtime: "codex", runnerEnv, secrets: new Map() });
    expect(codex.env).toEqual({ OPENAI_API_KEY: "sk-openai-runner-111" });
    const gemini = agentEnv({ runtime: "gemini", runnerEnv, secrets: new Map() });
    expect(gemini.env).toEqual({ GEMINI_API_KEY: "gemini-runner-222" });
    expect(agentEnv({ runtime: "command", runnerEnv, secrets: new Map() }).env).toEqual({});
    const named = agentEnv({ runtime: "command", rosterEnv: { OPENAI_API_KEY: "", DATABASE_URL: "" }, runnerEnv, secrets: new Map() });
    // Named: the runner's value replaces the placeholder. DATABASE_URL is no credential variable: the literal stays.
    expect(named.env).toEqual({ OPENAI_API_KEY: "sk-openai-runner-111", DATABASE_URL: "" });
  });
});

describe("secret masking", () => {
  it("masks every value (longest first, JSON-escaped too) in text and nested payloads; short values are left alone", () => {
    const mask = secretMask(["sk-abc-123456", "sk-abc-123456-long", 'quo"te-secret', "abc"])!;
    expect(secretMask(["abc", ""])).toBeUndefined();
    expect(mask("key sk-abc-123456-long and sk-abc-123456 abc")).toBe(`key ${MASK} and ${MASK} abc`);
    expect(mask(JSON.stringify({ out: 'quo"te-secret' }))).toBe(`{"out":"${MASK}"}`);
    expect(maskDeep({ kind: "tool_result", output: ["x sk-abc-123456"], n: 3 }, mask)).toEqual({ kind: "tool_result", output: [`x ${MASK}`], n: 3 });
  });

  it("takes token-like strings from a login file", () => {
    const claude = { claudeAiOauth: { accessToken: "at-1", refreshToken: "rt-1", expiresAt: 1, scopes: ["user:inference"], subscriptionType: "max" } };
    expect(loginFileSecrets(claude)).toEqual(["at-1", "rt-1"]);
    expect(loginFileSecrets({ OPENAI_API_KEY: null, tokens: { id_token: "i", access_token: "a", refresh_token: "r", account_id: "acc" } })).toEqual([
      "i",
      "a",
      "r",
    ]);
  });
});

const req = (runtime: string, extra: Partial<SpawnRequest> = {}): SpawnRequest => ({
  agent: { name: "a", runtime, env: {} },
  prompt: "p",
  cwd: "/wt",
  sessionDir: "/data/sessions/1",
  stateDir: "/state/1-a",
  vars: {},
  ...extra,
});

describe("login links and write access per runtime", () => {
  it("links each CLI's login file where its state folder variable makes it look", () => {
    expect(loginLinks("claude-code", "/s/claude")).toEqual({ "/s/claude/.credentials.json": ".claude/.credentials.json" });
    expect(planClaude(req("claude-code")).links).toEqual({ "/state/1-a/claude/.credentials.json": ".claude/.credentials.json" });
    expect(planCodex(req("codex")).links).toEqual({ "/state/1-a/codex/auth.json": ".codex/auth.json" });
    expect(planGemini(req("gemini")).links).toEqual({ "/state/1-a/gemini/.gemini/oauth_creds.json": ".gemini/oauth_creds.json" });
  });

  it("Codex may write the repository's common git dir (a commit's index and refs) and nothing else outside the worktree", () => {
    const cfg = (r: SpawnRequest) => parse(planCodex(r).files!["/state/1-a/codex/config.toml"]!);
    expect(cfg(req("codex", { writableDirs: ["/repo/.git"] }))).toMatchObject({ sandbox_workspace_write: { writable_roots: ["/repo/.git"] } });
    expect(cfg(req("codex"))).not.toHaveProperty("sandbox_workspace_write");
    const resumed = planCodex(req("codex", { writableDirs: ["/repo/.git"], resumeId: "t" }));
    expect(parse(resumed.files!["/state/1-a/codex/config.toml"]!)).toMatchObject({ sandbox_workspace_write: { writable_roots: ["/repo/.git"] } });
  });

  it("Codex without a base URL keeps its built-in provider (0.169 refuses a config.toml that overrides it)", () => {
    const plan = planCodex(req("codex", { agent: { name: "a", runtime: "codex", env: { DROVER_API_RETRIES: "0" } } }));
    expect(parse(plan.files!["/state/1-a/codex/config.toml"]!)).toEqual({});
  });

  it("Gemini's auth type follows the credential it has: key, Vertex, else a linked Google login", () => {
    const auth = (r: SpawnRequest) => JSON.parse(planGemini(r).files!["/state/1-a/gemini/.gemini/settings.json"]!).security.auth.selectedType;
    expect(auth(req("gemini", { agent: { name: "a", runtime: "gemini", env: { GEMINI_API_KEY: "k" } } }))).toBe("gemini-api-key");
    expect(auth(req("gemini", { agent: { name: "a", runtime: "gemini", env: { GOOGLE_GENAI_USE_VERTEXAI: "true" } } }))).toBe("vertex-ai");
    expect(auth(req("gemini", { logins: [".gemini/oauth_creds.json"] }))).toBe("oauth-personal");
    expect(auth(req("gemini"))).toBe("gemini-api-key");
  });
});
