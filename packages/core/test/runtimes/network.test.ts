// Issue #19: where a sandboxed run may connect. The roster's sandbox keys parse (and bad entries
// say how to write them); each runtime's allowlist is its model API, the base URLs its environment
// sets, and the roster's additions; nothing else matches.
import { describe, expect, it } from "vitest";
import { parseProjectConfig } from "../../src/config/index.ts";
import { networkAllowed, networkAllowList, urlEntry } from "../../src/runtimes/network.ts";

describe("sandbox settings in the roster", () => {
  it("sandbox defaults to on; network_allow takes host:port entries for the project and per agent", () => {
    const { config } = parseProjectConfig(
      `network_allow = ["registry.npmjs.org:443"]\n[[agent]]\nname = "c"\nstage = "coder"\nnetwork_allow = ["api.github.com:443", "[::1]:8080"]\n`,
      "project.toml",
    );
    expect(config.sandbox).toBe(true);
    expect(config.network_allow).toEqual(["registry.npmjs.org:443"]);
    expect(config.agent[0]!.network_allow).toEqual(["api.github.com:443", "[::1]:8080"]);
    expect(parseProjectConfig("sandbox = false\n", "project.toml").config.sandbox).toBe(false);
  });

  it("refuses an entry without a port, naming the key and the form", () => {
    expect(() => parseProjectConfig(`network_allow = ["registry.npmjs.org"]\n`, "project.toml")).toThrow(
      /network_allow\[0\]: must be "host:port", e\.g\. "registry\.npmjs\.org:443"/,
    );
    expect(() => parseProjectConfig(`sandbox = "no"\n`, "project.toml")).toThrow(/sandbox: must be a boolean/);
  });
});

describe("network allowlist", () => {
  it("a runtime's model API, the base URLs in its environment, then the roster's entries", () => {
    expect(networkAllowList({ runtime: "claude-code", env: { ANTHROPIC_BASE_URL: "http://127.0.0.1:4010/" } })).toEqual([
      "api.anthropic.com:443",
      "127.0.0.1:4010",
    ]);
    expect(networkAllowList({ runtime: "codex", env: { OPENAI_BASE_URL: "https://Gateway.example/v1" }, project: ["a.b:1"], agent: ["c.d:2"] })).toEqual([
      "api.openai.com:443",
      "chatgpt.com:443",
      "gateway.example:443",
      "a.b:1",
      "c.d:2",
    ]);
    // A command agent reaches only what the roster names; another runtime's base URL variable is no entry.
    expect(networkAllowList({ runtime: "command", env: { ANTHROPIC_BASE_URL: "http://127.0.0.1:1" } })).toEqual([]);
  });

  it("matches host and port exactly, hosts without case, IPv6 with or without brackets", () => {
    const list = ["api.anthropic.com:443", "[::1]:8080"];
    expect(networkAllowed(list, "API.anthropic.com", 443)).toBe(true);
    expect(networkAllowed(list, "api.anthropic.com", 80)).toBe(false);
    expect(networkAllowed(list, "evil.api.anthropic.com", 443)).toBe(false);
    expect(networkAllowed(list, "::1", 8080)).toBe(true);
    expect(urlEntry("ftp://x")).toBeUndefined();
    expect(urlEntry("http://h")).toBe("h:80");
  });
});
