import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/errors.ts";
import { commandAdapter, renderArg } from "../../src/runtimes/command.ts";
import { getRuntimeAdapter } from "../../src/runtimes/index.ts";
import type { SpawnRequest } from "../../src/runtimes/types.ts";

const req = (over: Partial<SpawnRequest> = {}): SpawnRequest => ({
  agent: { name: "bot", runtime: "command", command: ["./agent.sh", "--story", "{{story_id}}", "--wt={{ worktree_path }}"], env: { A: "1" } },
  prompt: "the whole prompt\nwith lines",
  cwd: "/wt",
  sessionDir: "/sessions/1",
  vars: { story_id: "12", worktree_path: "/wt" },
  ...over,
});

describe("command runtime", () => {
  it("plans argv with variables, the agent's env, and the prompt on stdin", () => {
    const plan = commandAdapter.plan(req());
    expect(plan.file).toBe("./agent.sh");
    expect(plan.args).toEqual(["--story", "12", "--wt=/wt"]);
    expect(plan.env).toEqual({ A: "1" });
    expect(plan.stdin).toBe("the whole prompt\nwith lines");
  });

  it("passes a resume id in the environment", () => {
    expect(commandAdapter.plan(req({ resumeId: "r-1" })).env.DROVER_RESUME_ID).toBe("r-1");
  });

  it("never lets a variable's value split into more arguments or reach a shell", () => {
    const plan = commandAdapter.plan(req({ vars: { story_id: "1; rm -rf / $(x)", worktree_path: "/wt" } }));
    expect(plan.args[1]).toBe("1; rm -rf / $(x)");
    expect(plan.args).toHaveLength(3);
  });

  it("rejects an unknown variable and a missing command with a message saying what to fix", () => {
    expect(() => renderArg("{{nope}}", { a: "1" }, "bot")).toThrow(/unknown variable \{\{nope\}\}.*known: a/);
    const noCmd = () => commandAdapter.plan(req({ agent: { name: "bot", runtime: "command" } }));
    expect(noCmd).toThrow(DomainError);
    expect(noCmd).toThrow(/set command = \[/);
  });

  it("turns plain lines into text events, Drover's JSON lines into their events, raw kept", () => {
    const p = commandAdapter.parser();
    expect(p.line("hello")).toEqual([{ kind: "text", text: "hello", raw: "hello" }]);
    const init = '{"kind":"init","runtimeSessionId":"abc"}';
    expect(p.line(init)).toEqual([{ kind: "init", runtimeSessionId: "abc", raw: init }]);
    const usage = '{"kind":"usage","inputTokens":3,"outputTokens":4,"costUsd":0.01}';
    expect(p.line(usage)[0]).toMatchObject({ kind: "usage", inputTokens: 3, outputTokens: 4, costUsd: 0.01 });
    // JSON that is not a valid Drover event stays text
    expect(p.line('{"kind":"usage","inputTokens":"many"}')[0].kind).toBe("text");
    expect(p.line('{"other":1}')[0].kind).toBe("text");
    expect(p.line("{not json")[0].kind).toBe("text");
  });

  it("synthesizes the result from the exit code, unless the command printed one", () => {
    const ok = commandAdapter.parser();
    ok.line("done it");
    expect(ok.end({ exitCode: 0 })).toEqual([{ kind: "result", outcome: "success", turns: 1, isError: false, text: "done it", errorText: undefined }]);
    const bad = commandAdapter.parser();
    expect(bad.end({ exitCode: 2 })[0]).toMatchObject({ kind: "result", outcome: "other", isError: true, errorText: "exit code 2" });
    const own = commandAdapter.parser();
    own.line('{"kind":"result","outcome":"rate_limited","isError":true}');
    expect(own.end({ exitCode: 1 })).toEqual([]);
  });

  it("is registered by name; an unknown runtime lists the known ones", () => {
    expect(getRuntimeAdapter("command")).toBe(commandAdapter);
    expect(() => getRuntimeAdapter("nope")).toThrow(/Unknown runtime "nope".*command/);
  });
});
