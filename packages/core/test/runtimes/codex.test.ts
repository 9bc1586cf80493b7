import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { codexAdapter, planCodex } from "../../src/runtimes/codex/adapter.ts";
import { CodexParser } from "../../src/runtimes/codex/parser.ts";
import type { SpawnRequest } from "../../src/runtimes/types.ts";
import { only, replay, result, transcript } from "./replay.ts";

const run = (name: string, parser = new CodexParser()) => replay(parser, transcript("codex", name));

describe("codex parser (transcripts from codex 0.169.0)", () => {
  it("apply_patch write then text: init, file_change call/result, usage, success", () => {
    const evs = run("ok");
    expect(only(evs, "init")[0].runtimeSessionId).toBe("01a20aea-b62b-7870-888a-b76b48a7cce8");
    expect(only(evs, "text").map((e) => e.text)).toEqual(["Writing the file.", "Done: wrote hello.txt."]);
    expect(only(evs, "tool_call")).toEqual([
      expect.objectContaining({ id: "item_1", name: "file_change", input: { changes: [{ path: "/tmp/rt/codex-ok/wt/hello.txt", kind: "add" }] } }),
    ]);
    expect(only(evs, "tool_result")).toEqual([expect.objectContaining({ id: "item_1", ok: true, output: "add /tmp/rt/codex-ok/wt/hello.txt" })]);
    // OpenAI counts cached tokens inside input_tokens; normalized input excludes them.
    expect(only(evs, "usage")).toEqual([expect.objectContaining({ inputTokens: 120, cacheReadTokens: 80, outputTokens: 40, cumulative: true })]);
    expect(result(evs)).toMatchObject({ outcome: "success", turns: 2, text: "Done: wrote hello.txt." });
  });

  it("resume: same thread id, usage cumulative over the thread", () => {
    const evs = run("resume");
    expect(only(evs, "init")[0].runtimeSessionId).toBe("01a20aea-b62b-7870-888a-b76b48a7cce8");
    expect(only(evs, "usage")[0]).toMatchObject({ inputTokens: 180, cacheReadTokens: 120, outputTokens: 60 });
    expect(result(evs).outcome).toBe("success");
  });

  it("command executions: call, failed result with output and exit code", () => {
    const evs = run("loop");
    const call = only(evs, "tool_call")[0];
    expect(call).toMatchObject({ id: "item_0", name: "command_execution", input: { command: `/bin/bash -lc "cat 'a.txt'"` } });
    const res = only(evs, "tool_result")[0];
    expect(res).toMatchObject({ id: "item_0", ok: false });
    expect(res.output).toContain("No such file or directory");
    expect(res.output).toContain("exit code 1");
  });

  it("enforces max_turns: a result and a fatal error once the turns run out", () => {
    const evs = run("loop", new CodexParser({ maxTurns: 3 }));
    const r = result(evs);
    expect(r).toMatchObject({ outcome: "max_turns", turns: 4, isError: true });
    const fatal = only(evs, "error").filter((e) => e.fatal);
    expect(fatal).toHaveLength(1);
    expect(fatal[0].text).toContain("max_turns");
    // The fatal error comes right after the 4th tool call, before anything else of that call.
    const i = evs.indexOf(fatal[0]);
    expect(evs[i - 2]).toMatchObject({ kind: "tool_call", id: "item_3" });
    // codexAdapter.parser(req) reads the limit from the roster.
    const viaAdapter = replay(
      codexAdapter.parser({ agent: { name: "c", runtime: "codex", model: "gpt-5.5", max_turns: 1 }, prompt: "", cwd: "/", sessionDir: "/s/1", vars: {} }),
      transcript("codex", "loop"),
    );
    expect(result(viaAdapter).turns).toBe(2);
    expect(only(viaAdapter, "init")[0].model).toBe("gpt-5.5");
  });

  it("without a limit, a run killed by the inactivity timeout ends as other", () => {
    expect(result(run("loop"))).toMatchObject({ outcome: "other", isError: true });
  });

  it("server down: Codex reconnects forever; the parser declares a network failure (fatal)", () => {
    const evs = run("down");
    const r = result(evs);
    expect(r.outcome).toBe("network");
    expect(r.errorText).toContain("Reconnecting... waiting for network (Connection failed: error sending request)");
    expect(only(evs, "error").filter((e) => e.fatal)).toHaveLength(1);
  });

  it("a connection dropped by the sandbox's proxy (Codex gives up at once) is a network failure", () => {
    const p = new CodexParser({});
    const evs = [
      ...p.line(JSON.stringify({ type: "error", message: "stream disconnected before completion: error sending request" })),
      ...p.line(JSON.stringify({ type: "turn.failed", error: { message: "stream disconnected before completion: error sending request" } })),
      ...p.end({ exitCode: 1 }),
    ];
    expect(result(evs)).toMatchObject({ outcome: "network", isError: true });
  });

  it.each([
    ["401", "auth", "401 Unauthorized: Incorrect API key provided"],
    ["nokey", "auth", "Missing environment variable: `MOCK_OPENAI_KEY`."],
    ["500", "api_error", "high demand"],
    ["429", "rate_limited", "429 Too Many Requests"],
    ["resume-unknown", "resume_not_found", "no rollout found for thread id 01a20aea-0000-7000-8000-000000000000"],
  ])("failure %s -> %s with the CLI's own words", (name, outcome, words) => {
    const r = result(run(name));
    expect(r.outcome).toBe(outcome);
    expect(r.isError).toBe(true);
    expect(r.errorText).toContain(words);
  });

  it("a 429 is a hard rate_limit (Codex gives no reset time)", () => {
    const rl = only(run("429"), "rate_limit");
    expect(rl).toHaveLength(1);
    expect(rl[0].level).toBe("hard");
    expect(rl[0].resetsAt).toBeUndefined();
  });

  it("error items (model metadata warnings) are non-fatal errors; reasoning is thinking", () => {
    const p = new CodexParser();
    const warn = JSON.stringify({ type: "item.completed", item: { id: "item_0", type: "error", message: "Model metadata for `x` not found." } });
    expect(p.line(warn)).toEqual([{ kind: "error", text: "Model metadata for `x` not found.", raw: warn }]);
    const think = JSON.stringify({ type: "item.completed", item: { id: "item_1", type: "reasoning", text: "**Planning**" } });
    expect(p.line(think)[0]).toMatchObject({ kind: "thinking", text: "**Planning**" });
  });
});

describe("codex plan", () => {
  const req = (over: Partial<SpawnRequest["agent"]> = {}, extra: Partial<SpawnRequest> = {}): SpawnRequest => ({
    agent: { name: "cx", runtime: "codex", model: "gpt-5.5", env: { OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_API_KEY: "k" }, ...over },
    prompt: "Do the story",
    cwd: "/wt",
    sessionDir: "/data/sessions/9",
    vars: {},
    ...extra,
  });

  it("exec with the prompt on stdin; resume through -c; a provider for OPENAI_BASE_URL in CODEX_HOME", () => {
    const plan = planCodex(req({ api_retries: 0 }));
    expect(plan.file).toBe("codex");
    expect(plan.args).toEqual(["exec", "--json", "--skip-git-repo-check", "-m", "gpt-5.5", "--sandbox", "workspace-write", "-"]);
    expect(plan.stdin).toBe("Do the story");
    expect(plan.env.CODEX_HOME).toBe("/data/sessions/runtime-state/cx-8a5edab282/codex");
    const cfg = parse(plan.files!["/data/sessions/runtime-state/cx-8a5edab282/codex/config.toml"]);
    expect(cfg).toEqual({
      model_provider: "drover",
      model_providers: {
        drover: {
          name: "drover",
          base_url: "http://127.0.0.1:9/v1",
          env_key: "OPENAI_API_KEY",
          wire_api: "responses",
          request_max_retries: 0,
          stream_max_retries: 0,
        },
      },
    });
    expect(plan.installHint).toBe("@openai/codex");
    const resume = planCodex(req({}, { resumeId: "thread-1" }));
    expect(resume.args).toEqual([
      "exec",
      "resume",
      "--json",
      "--skip-git-repo-check",
      "-m",
      "gpt-5.5",
      "-c",
      'sandbox_mode="workspace-write"',
      "thread-1",
      "-",
    ]);
  });

  it("inside Drover's sandbox, Codex's own is off (ours is the boundary), for exec and resume", () => {
    expect(planCodex(req({}, { sandboxed: true })).args).toContain("danger-full-access");
    expect(planCodex(req({}, { sandboxed: true, resumeId: "t" })).args).toContain('sandbox_mode="danger-full-access"');
    expect(planCodex(req({}, { sandboxed: false })).args).toContain("workspace-write");
  });
});
