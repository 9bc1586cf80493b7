import { describe, expect, it } from "vitest";
import { claudeAdapter, planClaude } from "../../src/runtimes/claude/adapter.ts";
import type { SpawnRequest } from "../../src/runtimes/types.ts";
import { only, replay, result, transcript } from "./replay.ts";

const run = (name: string) => replay(claudeAdapter.parser(), transcript("claude", name));

describe("claude-code parser (transcripts from claude 2.1.197)", () => {
  it("tool write then text: init, text, tool_call, tool_result, usage with cost, success", () => {
    const evs = run("ok");
    const init = only(evs, "init")[0];
    expect(init.runtimeSessionId).toBe("a8111dce-4cc6-467f-9b31-b4faf5c594e0");
    expect(init.model).toBe("claude-sonnet-4-5");
    expect(init.tools).toContain("Write");
    expect(only(evs, "text").map((e) => e.text)).toEqual(["Writing the file.", "Done: wrote hello.txt."]);
    const call = only(evs, "tool_call")[0];
    expect(call).toMatchObject({ id: "toolu_mock1", name: "Write", input: { file_path: "/tmp/rt/claude-ok/wt/hello.txt", content: "hi from mock\n" } });
    const res = only(evs, "tool_result")[0];
    expect(res).toMatchObject({ id: "toolu_mock1", ok: true });
    expect(res.output).toContain("File created successfully");
    const usage = only(evs, "usage");
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({ inputTokens: 200, outputTokens: 40, cacheReadTokens: 100, cacheWriteTokens: 20, cumulative: true });
    expect(usage[0].costUsd).toBeCloseTo(0.001305, 6);
    expect(result(evs)).toMatchObject({ outcome: "success", turns: 2, isError: false, text: "Done: wrote hello.txt." });
    // Every event keeps the line it came from.
    for (const e of evs) expect(e.raw).toBeTruthy();
  });

  it("thinking blocks become thinking events", () => {
    const evs = run("rlwarn");
    expect(only(evs, "thinking").map((e) => e.text)).toEqual(["Let me think about it."]);
    expect(result(evs).outcome).toBe("success");
  });

  it("resume reports the session id of the new run and succeeds", () => {
    const evs = run("resume");
    expect(only(evs, "init")[0].runtimeSessionId).toBe("a8111dce-4cc6-467f-9b31-b4faf5c594e0");
    expect(result(evs)).toMatchObject({ outcome: "success", turns: 1, text: "Resumed: I remember hello.txt." });
  });

  it("api_retry lines are errors with the status; partial stream events are merged away", () => {
    const evs = run("retry");
    const err = only(evs, "error")[0];
    expect(err.text).toContain("HTTP 500");
    expect(err.text).toContain("retry 1/2");
    expect(only(evs, "text").map((e) => e.text)).toEqual(["Recovered after retry."]);
    expect(result(evs).outcome).toBe("success");
  });

  it.each([
    ["401", "auth", "Invalid API key"],
    ["nokey", "auth", "Not logged in"],
    ["down", "network", "Unable to connect to API (ConnectionRefused)"],
    ["500", "api_error", "API Error: 500 boom"],
    ["429", "rate_limited", "Request rejected (429)"],
    ["maxturns", "max_turns", "Reached maximum number of turns (2)"],
    ["budget", "budget", "Reached maximum budget ($0.0005)"],
    ["resume-unknown", "resume_not_found", "No conversation found with session ID: 11111111-2222-3333-4444-555555555555"],
  ])("failure %s -> %s with the CLI's own words", (name, outcome, words) => {
    const evs = run(name);
    const r = result(evs);
    expect(r.outcome).toBe(outcome);
    expect(r.isError).toBe(true);
    expect(r.errorText).toContain(words);
  });

  it("a 429 is also a hard rate_limit event for the pipeline", () => {
    const rl = only(run("429"), "rate_limit");
    expect(rl).toHaveLength(1);
    expect(rl[0]).toMatchObject({ level: "hard" });
    expect(rl[0].text).toContain("429");
  });

  it("rate_limit_event lines carry the reset time", () => {
    const p = claudeAdapter.parser();
    // Shape of Claude Code's rate_limit_event (emitted for subscription logins, not for API keys,
    // so the mock cannot provoke it): rate_limit_info.resetsAt is epoch seconds.
    const line = JSON.stringify({
      type: "rate_limit_event",
      rate_limit_info: { status: "rejected", resetsAt: 1795485600, rateLimitType: "five_hour", utilization: 1 },
      session_id: "s",
    });
    expect(p.line(line)).toEqual([
      { kind: "rate_limit", level: "hard", resetsAt: "2026-11-24T02:00:00.000Z", text: "Rate limit rejected (five_hour, 100% used)", raw: line },
    ]);
    const warn = JSON.stringify({ type: "rate_limit_event", rate_limit_info: { status: "allowed_warning", resetsAt: 1795483200 } });
    expect(p.line(warn)[0]).toMatchObject({ kind: "rate_limit", level: "warning" });
    expect(p.line(JSON.stringify({ type: "rate_limit_event", rate_limit_info: { status: "allowed" } }))).toEqual([]);
  });

  it("no result at all (killed, crashed): a result from the exit and stderr", () => {
    const p = claudeAdapter.parser();
    p.stderr?.("Error: connect ECONNREFUSED 127.0.0.1:1");
    const evs = p.end({ exitCode: 1, signal: null });
    expect(result(evs)).toMatchObject({ outcome: "network", isError: true });
    expect(result(evs).errorText).toContain("ECONNREFUSED");
    expect(result(claudeAdapter.parser().end({ exitCode: null, signal: "SIGKILL" })).errorText).toContain("killed by SIGKILL");
  });

  it("large tool outputs are truncated in the event and whole in the raw line", () => {
    const big = "y".repeat(10_000);
    const line = JSON.stringify({
      type: "user",
      message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: big }] }] },
    });
    const [ev] = claudeAdapter.parser().line(line);
    expect(ev).toMatchObject({ kind: "tool_result", id: "t1", ok: true, truncated: true });
    if (ev.kind !== "tool_result") throw new Error("not a tool_result");
    expect(ev.output.length).toBeLessThan(4_100);
    expect(ev.raw).toContain(big);
  });

  it("non-JSON stdout lines are kept as text", () => {
    expect(claudeAdapter.parser().line("plain words")).toEqual([{ kind: "text", text: "plain words", raw: "plain words" }]);
  });
});

describe("claude-code plan", () => {
  const req = (over: Partial<SpawnRequest["agent"]> = {}, extra: Partial<SpawnRequest> = {}): SpawnRequest => ({
    agent: { name: "coder-1", runtime: "claude-code", model: "claude-sonnet-4-5", ...over },
    prompt: "Do the story",
    cwd: "/wt",
    sessionDir: "/data/sessions/42",
    vars: {},
    ...extra,
  });

  it("builds argv from the roster, prompt on stdin, conversations in the agent's state folder", () => {
    const plan = planClaude(
      req({ allowed_tools: ["Read", "Edit", "Bash(git:*)"], max_turns: 30, max_budget_usd: 2.5, system_prompt: "Be brief" }, { resumeId: "abc" }),
    );
    expect(plan.file).toBe("claude");
    expect(plan.args).toEqual([
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--permission-mode",
      "acceptEdits",
      "--model",
      "claude-sonnet-4-5",
      "--allowedTools",
      "Read,Edit,Bash(git:*)",
      "--max-turns",
      "30",
      "--max-budget-usd",
      "2.5",
      "--append-system-prompt",
      "Be brief",
      "--resume",
      "abc",
    ]);
    expect(plan.stdin).toBe("Do the story");
    expect(plan.env).toMatchObject({
      DISABLE_TELEMETRY: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      CLAUDE_CONFIG_DIR: "/data/sessions/runtime-state/coder-1-8a5edab282/claude",
    });
    expect(plan.installHint).toBe("@anthropic-ai/claude-code");
  });

  it("retries come from the roster; the agent's own env is never overridden", () => {
    expect(planClaude(req({ env: { DROVER_API_RETRIES: "0" } })).env.CLAUDE_CODE_MAX_RETRIES).toBe("0");
    expect(planClaude(req({ api_retries: 2 })).env.CLAUDE_CODE_MAX_RETRIES).toBe("2");
    expect(planClaude(req()).env.CLAUDE_CODE_MAX_RETRIES).toBeUndefined();
    const own = planClaude(req({ api_retries: 2, env: { CLAUDE_CODE_MAX_RETRIES: "5", CLAUDE_CONFIG_DIR: "/mine" } }));
    expect(own.env.CLAUDE_CODE_MAX_RETRIES).toBeUndefined();
    expect(own.env.CLAUDE_CONFIG_DIR).toBeUndefined();
    expect(planClaude(req({}, { stateDir: "/state/x" })).env.CLAUDE_CONFIG_DIR).toBe("/state/x/claude");
  });

  it("bypassPermissions as root needs IS_SANDBOX=1, and says so", () => {
    if (process.getuid?.() !== 0) return; // the rule only applies to root
    expect(() => planClaude(req({ permission_mode: "bypassPermissions" }))).toThrow(/IS_SANDBOX/);
    expect(planClaude(req({ permission_mode: "bypassPermissions", env: { IS_SANDBOX: "1" } })).args).toContain("bypassPermissions");
  });

  it("in the runner's sandbox (an unprivileged user there) bypassPermissions is allowed and IS_SANDBOX says so", () => {
    const plan = planClaude(req({ permission_mode: "bypassPermissions" }, { sandboxed: true }));
    expect(plan.args).toContain("bypassPermissions");
    expect(plan.env.IS_SANDBOX).toBe("1");
    expect(planClaude(req()).env.IS_SANDBOX).toBeUndefined();
  });
});
