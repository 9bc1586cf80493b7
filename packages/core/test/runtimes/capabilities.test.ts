// The rule runners claim by and the board's waiting reason.
import { describe, expect, it } from "vitest";
import { canRun, noCapableRunnerReason, secretDecrypter, type RunnerCapabilities } from "../../src/runtimes/capabilities.ts";

const claude = (over: Partial<RunnerCapabilities[string]> = {}): RunnerCapabilities => ({
  "claude-code": { cli: "claude", path: "/usr/bin/claude", version: "2.1.197", credentials: ["env ANTHROPIC_API_KEY"], ...over },
});

describe("canRun", () => {
  it("needs the CLI, then a credential from the runner or the roster entry", () => {
    expect(canRun(claude(), { runtime: "claude-code" })).toEqual({ ok: true, credential: "env ANTHROPIC_API_KEY" });
    expect(canRun(claude({ path: null }), { runtime: "claude-code" })).toEqual({ ok: false, problem: "cli_missing" });
    expect(canRun(claude({ credentials: [] }), { runtime: "claude-code" })).toEqual({ ok: false, problem: "no_credential" });
    expect(canRun(claude({ credentials: [] }), { runtime: "claude-code", env: { ANTHROPIC_API_KEY: "k" } })).toEqual({
      ok: true,
      credential: "roster env ANTHROPIC_API_KEY",
    });
    expect(canRun(claude({ credentials: [] }), { runtime: "claude-code", env: { ANTHROPIC_API_KEY: "secret:anthropic" } })).toEqual({
      ok: true,
      credential: "secret anthropic (roster ANTHROPIC_API_KEY)",
    });
    // An endpoint alone is no credential.
    expect(canRun(claude({ credentials: [] }), { runtime: "claude-code", env: { ANTHROPIC_BASE_URL: "http://x" } }).ok).toBe(false);
  });

  it("runs command agents anywhere, and trusts a runner that records nothing", () => {
    expect(canRun({}, { runtime: "command" }).ok).toBe(true);
    expect(canRun(null, { runtime: "codex" }).ok).toBe(true);
    expect(canRun({}, { runtime: "codex" })).toEqual({ ok: false, problem: "cli_missing" });
  });
});

describe("noCapableRunnerReason", () => {
  const no = (problem: "cli_missing" | "no_credential") => ({ ok: false as const, problem });
  it("names the shared problem, or each runner's", () => {
    expect(
      noCapableRunnerReason("codex", [
        { runnerId: "a", verdict: no("cli_missing") },
        { runnerId: "b", verdict: no("cli_missing") },
      ]),
    ).toBe("no runner can run codex: CLI missing on all runners");
    expect(
      noCapableRunnerReason("codex", [
        { runnerId: "a", verdict: no("cli_missing") },
        { runnerId: "b", verdict: no("no_credential") },
      ]),
    ).toBe("no runner can run codex: CLI missing on a, no credential on b");
    expect(
      noCapableRunnerReason("codex", [
        { runnerId: "a", verdict: no("cli_missing") },
        { runnerId: "b", verdict: { ok: true, credential: null } },
      ]),
    ).toBeNull();
    expect(noCapableRunnerReason("codex", [])).toContain("no runner is running");
  });
});

describe("a Drover secret as the credential", () => {
  it("counts only on a runner holding the key the secret was stored with", () => {
    const agent = { runtime: "claude-code", env: { ANTHROPIC_API_KEY: "secret:anthropic" } };
    const noCred = claude({ credentials: [] });
    const ids = new Map([["anthropic", "k1"]]);
    expect(canRun(noCred, agent, secretDecrypter("k1", ids))).toEqual({ ok: true, credential: "secret anthropic (roster ANTHROPIC_API_KEY)" });
    expect(canRun(noCred, agent, secretDecrypter("k2", ids))).toEqual({ ok: false, problem: "no_credential" });
    expect(canRun(noCred, agent, secretDecrypter(null, ids))).toEqual({ ok: false, problem: "no_credential" });
    expect(canRun(noCred, { ...agent, env: { ANTHROPIC_API_KEY: "secret:missing" } }, secretDecrypter("k1", ids)).ok).toBe(false);
  });
});
