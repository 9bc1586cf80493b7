import { describe, expect, it } from "vitest";
import { geminiAdapter, planGemini } from "../../src/runtimes/gemini/adapter.ts";
import { retryAfter } from "../../src/runtimes/gemini/parser.ts";
import type { SpawnRequest } from "../../src/runtimes/types.ts";
import { only, replay, result, transcript } from "./replay.ts";

const run = (name: string) => replay(geminiAdapter.parser(), transcript("gemini", name));

describe("gemini parser (transcripts from gemini-cli 0.61.0)", () => {
  it("tool write then text: deltas merged, tool_call/tool_result, usage, success", () => {
    const evs = run("ok");
    expect(only(evs, "init")[0]).toMatchObject({ runtimeSessionId: "7e1f310d-dba8-49a6-9d4d-0709c6dcc8bd", model: "gemini-2.5-pro" });
    // "Done: wrote " + "hello.txt." arrived as two delta lines: one text event, both raw lines kept.
    const texts = only(evs, "text");
    expect(texts.map((e) => e.text)).toEqual(["Writing the file.", "Done: wrote hello.txt."]);
    expect(texts[1].raw!.split("\n")).toHaveLength(2);
    expect(only(evs, "tool_call")[0]).toMatchObject({ name: "write_file", input: { file_path: "/tmp/rt/gemini-ok/wt/hello.txt", content: "hi from mock\n" } });
    const call = only(evs, "tool_call")[0];
    expect(only(evs, "tool_result")[0]).toMatchObject({ id: call.id, ok: true });
    expect(only(evs, "usage")).toEqual([expect.objectContaining({ inputTokens: 200, outputTokens: 40, cacheReadTokens: 0, cumulative: true })]);
    expect(result(evs)).toMatchObject({ outcome: "success", turns: 2, isError: false, text: "Done: wrote hello.txt." });
    expect(only(evs, "usage")[0].costUsd).toBeUndefined(); // Gemini reports no cost: priced from tokens later
  });

  it("resume keeps the session id and succeeds", () => {
    const evs = run("resume");
    expect(only(evs, "init")[0].runtimeSessionId).toBe("7e1f310d-dba8-49a6-9d4d-0709c6dcc8bd");
    expect(result(evs)).toMatchObject({ outcome: "success", text: "Resumed: I remember hello.txt." });
  });

  it("failed tool results carry the error", () => {
    const r = only(run("maxturns"), "tool_result")[0];
    expect(r.ok).toBe(false);
    expect(r.output).toContain("File not found");
  });

  it.each([
    ["401", "auth", "API key not valid"],
    ["nokey", "auth", "you must specify the GEMINI_API_KEY environment variable"],
    ["down", "network", "fetch failed"],
    ["500", "api_error", "Internal error encountered."],
    ["429", "rate_limited", "Resource has been exhausted"],
    ["maxturns", "max_turns", "Reached max session turns"],
    ["resume-unknown", "resume_not_found", "No previous sessions found for this project."],
  ])("failure %s -> %s with the CLI's own words", (name, outcome, words) => {
    const r = result(run(name));
    expect(r.outcome).toBe(outcome);
    expect(r.isError).toBe(true);
    expect(r.errorText).toContain(words);
    expect(r.errorText).not.toContain("YOLO mode is enabled");
  });

  it("a 429 gives a hard rate_limit with the reset time Gemini suggests", () => {
    const rl = only(run("429"), "rate_limit");
    expect(rl).toHaveLength(1);
    // result timestamp 2026-11-24T00:17:02.316Z + 3600 s
    expect(rl[0]).toMatchObject({ level: "hard", resetsAt: "2026-11-24T01:17:02.316Z" });
    expect(retryAfter("Please retry in 1500ms.", "2026-01-01T00:00:00.000Z")).toBe("2026-01-01T00:00:01.500Z");
    expect(retryAfter("no hint here")).toBeUndefined();
  });

  it("non-fatal error lines (loop detected) are error events", () => {
    const line = JSON.stringify({ type: "error", timestamp: "t", severity: "warning", message: "Loop detected, stopping execution" });
    expect(geminiAdapter.parser().line(line)).toEqual([{ kind: "error", text: "Loop detected, stopping execution", raw: line }]);
  });

  it("exit codes without a result: 53 turn limit, 173 rate limit, 42 resume", () => {
    expect(result(geminiAdapter.parser().end({ exitCode: 53 })).outcome).toBe("max_turns");
    expect(result(geminiAdapter.parser().end({ exitCode: 173 })).outcome).toBe("rate_limited");
    expect(result(geminiAdapter.parser().end({ exitCode: 42 })).outcome).toBe("resume_not_found");
  });
});

describe("gemini plan", () => {
  const req = (over: Partial<SpawnRequest["agent"]> = {}, extra: Partial<SpawnRequest> = {}): SpawnRequest => ({
    agent: { name: "gem", runtime: "gemini", model: "gemini-2.5-pro", ...over },
    prompt: "Do the story",
    cwd: "/wt",
    sessionDir: "/data/sessions/7",
    vars: {},
    ...extra,
  });

  it("argv with -m, prompt on stdin, settings with auth, turn limit and retries in GEMINI_CLI_HOME", () => {
    const plan = planGemini(req({ max_turns: 12, api_retries: 0, allowed_tools: ["Read"] }, { resumeId: "sid-1" }));
    expect(plan.file).toBe("gemini");
    expect(plan.args).toEqual(["-p", "", "--skip-trust", "--yolo", "--output-format", "stream-json", "-m", "gemini-2.5-pro", "--resume", "sid-1"]);
    expect(plan.stdin).toBe("Do the story");
    expect(plan.env.GEMINI_CLI_HOME).toBe("/data/sessions/runtime-state/gem-8a5edab282/gemini");
    const settings = JSON.parse(plan.files!["/data/sessions/runtime-state/gem-8a5edab282/gemini/.gemini/settings.json"]);
    expect(settings).toMatchObject({ security: { auth: { selectedType: "gemini-api-key" } }, model: { maxSessionTurns: 12 }, general: { maxAttempts: 1 } });
    expect(plan.installHint).toBe("@google/gemini-cli");
  });

  it("no limits configured: unlimited turns, the CLI's own retries", () => {
    const settings = JSON.parse(Object.values(planGemini(req()).files!)[0]);
    expect(settings.model.maxSessionTurns).toBe(-1);
    expect(settings.general).toBeUndefined();
  });
});
