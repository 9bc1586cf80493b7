import { describe, expect, it } from "vitest";
import { DomainError } from "../src/errors.ts";
import { effectiveGates, mergeRoster, parseAgentsFile, parseProjectConfig } from "../src/config/index.ts";
import type { AgentSpec } from "../src/runtimes/types.ts";

const F = ".drover/project.toml";

function err(text: string): DomainError {
  try {
    parseProjectConfig(text, F);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe("BAD_REQUEST");
    return e as DomainError;
  }
  throw new Error("expected the config to be rejected");
}

describe("parseProjectConfig", () => {
  it("parses a storkit roster with defaults filled in", () => {
    const { config, warnings } = parseProjectConfig(
      `
default_coder_model = "sonnet"
max_coders = 2
gates = ["pnpm test"]

[[component]]
name = "web"
path = "apps/web"
setup = ["pnpm install"]

[[agent]]
name = "coder-1"
role = "Full-stack engineer"
stage = "coder"
model = "sonnet"
max_turns = 50
max_budget_usd = 5.5
allowed_tools = ["Read", "Edit"]
prompt = "Work on {{story_id}} in {{worktree_path}}"

[[agent]]
name = "tester"
stage = "qa"
runtime = "command"
command = ["./qa.sh", "{{story_id}}"]
env = { FOO = "bar" }

[prices.sonnet]
input_per_mtok = 3
output_per_mtok = 15
`,
      F,
    );
    expect(warnings).toEqual([]);
    expect(config.max_coders).toBe(2);
    expect(config.max_retries).toBe(2);
    expect(config.default_qa).toBe("server");
    expect(config.done_retention_secs).toBe(14400);
    expect(config.event_retention_days).toBe(30);
    expect(config.worktree_root).toBe(".drover/worktrees");
    expect(config.keep_branches).toBe(false);
    expect(config.gate_timeout_secs).toBe(1200);
    expect(config.copy_files).toEqual([]);
    expect(config.prices.sonnet).toEqual({ input_per_mtok: 3, output_per_mtok: 15 });
    expect(config.component).toEqual([{ name: "web", path: "apps/web", setup: ["pnpm install"], teardown: [] }]);
    expect(config.agent.map((a) => [a.name, a.stage, a.runtime, a.inactivity_timeout_secs])).toEqual([
      ["coder-1", "coder", "claude-code", 300],
      ["tester", "qa", "command", 300],
    ]);
    expect(config.agent[1]!.env).toEqual({ FOO: "bar" });
    const spec: AgentSpec = config.agent[0]!; // assignable to the runtime contract
    expect(spec.max_turns).toBe(50);
  });

  it("wraps a legacy single [agent] table with a warning", () => {
    const { config, warnings } = parseProjectConfig(`[agent]\nname = "solo"\nstage = "coder"\n`, F);
    expect(config.agent.map((a) => a.name)).toEqual(["solo"]);
    expect(warnings[0]).toMatch(/legacy/);
    expect(warnings[0]).toContain(F);
  });

  it("warns about unknown keys and keeps them out of the config", () => {
    const { config, warnings } = parseProjectConfig(`colour = "blue"\n[[agent]]\nname = "a"\nstage = "coder"\nflavour = 1\n`, F);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/project\.toml: colour: unknown key/);
    expect(warnings[1]).toMatch(/agent\[0\]\.flavour: unknown key/);
    expect("colour" in config).toBe(false);
    expect("flavour" in config.agent[0]!).toBe(false);
  });

  it("rejects duplicate agent names, naming both entries", () => {
    const e = err(`[[agent]]\nname = "a"\nstage = "coder"\n[[agent]]\nname = "a"\nstage = "qa"\n`);
    expect(e.message).toContain(F);
    expect(e.message).toMatch(/agent\[1\]\.name: duplicate agent name "a" \(also agent\[0\]\)/);
  });

  it("rejects empty agent names", () => {
    expect(err(`[[agent]]\nname = "  "\nstage = "coder"\n`).message).toMatch(/agent\[0\]\.name: must not be empty/);
  });

  it("rejects agent names that could name a path: slashes, dots only, unsafe characters, too long", () => {
    const e = err(`max_coders = 2\n\n[[agent]]\nname = "x/../../../../tmp/escape"\nstage = "coder"\nruntime = "gemini"\n`);
    expect(e.message).toBe(
      `${F}: invalid config:\n  agent[0] (x/../../../../tmp/escape).name: may contain only letters, digits, ".", "_" and "-" (it names folders), e.g. "coder-1" (got "x/../../../../tmp/escape")`,
    );
    expect(err(`[[agent]]\nname = ".."\nstage = "coder"\n`).message).toMatch(/agent\[0\] \(\.\.\)\.name: must not be "\." or "\.\." \(got "\.\."\)/);
    expect(err(`[[agent]]\nname = "."\nstage = "coder"\n`).message).toMatch(/agent\[0\] \(\.\)\.name: must not be "\." or "\.\."/);
    expect(err(`[[agent]]\nname = "a b"\nstage = "coder"\n`).message).toMatch(/agent\[0\] \(a b\)\.name: may contain only letters/);
    expect(err(`[[agent]]\nname = "back\\\\slash"\nstage = "coder"\n`).message).toMatch(/\.name: may contain only letters/);
    expect(err(`[[agent]]\nname = "${"a".repeat(65)}"\nstage = "coder"\n`).message).toMatch(/\.name: must be at most 64 characters/);
    // The names rosters use stay valid.
    const ok = parseProjectConfig(
      `[[agent]]\nname = "coder-1"\nstage = "coder"\n[[agent]]\nname = "qa_2.opus"\nstage = "qa"\n[[agent]]\nname = "${"a".repeat(64)}"\nstage = "other"\n`,
      F,
    );
    expect(ok.config.agent.map((a) => a.name)).toEqual(["coder-1", "qa_2.opus", "a".repeat(64)]);
  });

  it("rejects an unknown stage, listing the valid ones", () => {
    expect(err(`[[agent]]\nname = "x"\nstage = "tester"\n`).message).toMatch(
      /agent\[0\] \(x\)\.stage: must be one of coder, qa, mergemaster, other \(got "tester"\)/,
    );
  });

  it("requires an explicit stage, never guessing it from the name", () => {
    expect(err(`[[agent]]\nname = "qa"\n`).message).toMatch(
      /agent\[0\] \(qa\)\.stage: is required; must be one of coder, qa, mergemaster, other \(set it explicitly/,
    );
  });

  it("mcp = false turns Drover's MCP tools off per agent; anything but a boolean is refused, naming the key", () => {
    expect(err(`[[agent]]\nname = "x"\nstage = "coder"\nmcp = "no"\n`).message).toMatch(/agent\[0\] \(x\)\.mcp: must be a boolean \(got "no"\)/);
    const ok = parseProjectConfig(`[[agent]]\nname = "a"\nstage = "coder"\nmcp = false\n[[agent]]\nname = "b"\nstage = "coder"\n`, F);
    expect(ok.config.agent.map((a) => a.mcp)).toEqual([false, undefined]);
    expect(ok.warnings.join("\n")).not.toMatch(/mcp/);
  });

  it("rejects an unknown runtime", () => {
    expect(err(`[[agent]]\nname = "x"\nstage = "coder"\nruntime = "gpt"\n`).message).toMatch(
      /agent\[0\] \(x\)\.runtime: must be one of claude-code, gemini, codex, command/,
    );
  });

  it("rejects non-positive turns and budget", () => {
    const e = err(`[[agent]]\nname = "x"\nstage = "coder"\nmax_turns = 0\nmax_budget_usd = -1\n`);
    expect(e.message).toMatch(/agent\[0\] \(x\)\.max_turns: must be greater than 0 \(got 0\)/);
    expect(e.message).toMatch(/agent\[0\] \(x\)\.max_budget_usd: must be greater than 0 \(got -1\)/);
  });

  it("takes event_retention_days, 0 meaning keep forever, and rejects a negative one", () => {
    expect(parseProjectConfig(`event_retention_days = 0\n`, F).config.event_retention_days).toBe(0);
    expect(parseProjectConfig(`event_retention_days = 7\n`, F).config.event_retention_days).toBe(7);
    expect(err(`event_retention_days = -1\n`).message).toMatch(/event_retention_days: /);
  });

  it("rejects wrong types with the key path", () => {
    expect(err(`max_coders = "three"\n`).message).toMatch(/max_coders: must be a number \(got "three"\)/);
    expect(err(`gates = "script/test"\n`).message).toMatch(/gates: must be a list/);
    expect(err(`[[agent]]\nstage = "coder"\n`).message).toMatch(/agent\[0\]\.name: is required/);
  });

  it("rejects broken TOML with the line", () => {
    expect(err(`max_coders = \n`).message).toMatch(/project\.toml: not valid TOML at line 1/);
  });

  it("points an unclosed array or inline table at the line that opened it, not where the parser gave up (issue 18 item 7)", () => {
    expect(err(`max_coders = 2\ngates = ["a", "b"\n\n[[agent]]\nname = "x"\nstage = "coder"\n`).message).toMatch(
      /not valid TOML at line 2, column 9: "\[" opened here is never closed with "\]" \(the parser noticed at line 4, column 1\)/,
    );
    expect(err(`x = {a = 1\ny = 2\n`).message).toMatch(/at line 1, column 5: "\{" opened here is never closed/);
    // Brackets inside strings, comments and multi-line strings are not counted.
    expect(err(`# [ not this\np = """\n[\n"""\ngates = ["a[", 'b{'\n\n[[agent]]\n`).message).toMatch(/at line 5, column 9: "\[" opened here/);
    // Other syntax errors keep the parser's place.
    expect(err(`[[agent]\nname = "x"\n`).message).toMatch(/at line 1, column 9: Invalid TOML document: expected end of table array declaration/);
  });

  it("rejects an unknown template variable at load time", () => {
    const e = err(`[[agent]]\nname = "x"\nstage = "coder"\nprompt = "Do {{story_id}} then {{stroy_name}}"\n`);
    expect(e.message).toMatch(/agent\[0\] \(x\)\.prompt: unknown template variable \{\{stroy_name\}\}/);
  });

  it("requires command for command agents", () => {
    expect(err(`[[agent]]\nname = "x"\nstage = "other"\nruntime = "command"\n`).message).toMatch(/\.command: required for runtime "command"/);
  });

  it("takes the roster from agents.toml when present", () => {
    const p = parseProjectConfig(`max_coders = 1\n[[agent]]\nname = "old"\nstage = "coder"\n`, ".storkit/project.toml");
    const a = parseAgentsFile(`[[agent]]\nname = "new"\nstage = "coder"\n`, ".storkit/agents.toml");
    const merged = mergeRoster(p, a, ".storkit/agents.toml");
    expect(merged.config.agent.map((x) => x.name)).toEqual(["new"]);
    expect(merged.config.max_coders).toBe(1);
    expect(merged.warnings.join()).toMatch(/also declared/);
  });

  it("defaults gates to script/test only when the file exists", () => {
    const { config } = parseProjectConfig("", F);
    expect(effectiveGates(config, true)).toEqual(["script/test"]);
    expect(effectiveGates(config, false)).toEqual([]);
    expect(effectiveGates({ gates: [] }, true)).toEqual([]);
  });
});
