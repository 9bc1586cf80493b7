// Claude Code 2.1.197 from npm, driven by the real runner against a mock Anthropic API.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { closedPort } from "../mock-models/server.ts";
import { requestText } from "../mock-models/script.ts";
import { createSession, eventsOf, logText, runtimeSuite, waitEnded, worktreeOf } from "./helpers.ts";

const suite = runtimeSuite();
const mock = suite.mock;

const base = { runtime: "claude-code" as const, model: "claude-sonnet-4-5" };
const keyEnv = (url: string, key = "sk-mock") => ({ ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: key, DROVER_API_RETRIES: "0" });

// Real CLIs on a loaded 2-core machine: generous per-test bounds; each failure test also bounds its wait.
describe("claude-code end to end through the runner", { timeout: 240_000 }, () => {
  it("writes a file in the worktree, completes, stores events, tokens and cost; then resumes with context", async () => {
    const wt = worktreeOf(suite.env, 1);
    const m = await mock("anthropic", [
      { kind: "write", path: path.join(wt, "hello.txt"), content: "hi from claude\n", text: "Writing the file." },
      { kind: "text", text: "Done: wrote hello.txt." },
      { kind: "text", text: "Resumed and remembered." },
    ]);
    const s = await createSession(suite.env, {
      ...base,
      agent: "claude-coder",
      env: keyEnv(m.url),
      storyNumber: 1,
      prompt: "Please write hello.txt (FIRST-PROMPT)",
    });
    const done = await waitEnded(suite.env, s.id);
    expect(done.status, done.message ?? "").toBe("completed");
    expect(fs.readFileSync(path.join(wt, "hello.txt"), "utf8")).toBe("hi from claude\n");
    const kinds = (await eventsOf(suite.env, s.id)).map((e) => e.kind);
    for (const k of ["init", "text", "tool_call", "tool_result", "usage", "result"]) expect(kinds).toContain(k);
    expect(done.runtimeSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(done).toMatchObject({ outcome: "success", turns: 2, inputTokens: 200, outputTokens: 40, cacheReadTokens: 100, cacheWriteTokens: 20 });
    expect(done.costUsd).toBeGreaterThan(0);
    expect(m.mainRequests()[0].headers["x-api-key"]).toBe("sk-mock");

    // Resume: only the new message goes to the CLI; the model sees the earlier conversation.
    const r = await createSession(suite.env, {
      ...base,
      agent: "claude-coder",
      env: keyEnv(m.url),
      storyNumber: 1,
      prompt: "Gate failed: fix it (SECOND-PROMPT)",
      resumeRuntimeSessionId: done.runtimeSessionId!,
    });
    const resumed = await waitEnded(suite.env, r.id);
    expect(resumed.status, resumed.message ?? "").toBe("completed");
    const seen = requestText(m.mainRequests().at(-1)!.body);
    expect(seen).toContain("FIRST-PROMPT");
    expect(seen).toContain("hi from claude");
    expect(seen).toContain("SECOND-PROMPT");
    expect(resumed.runtimeSessionId).toBe(done.runtimeSessionId);
  });

  it("bad key: fails as auth with Claude's words", async () => {
    const m = await mock("anthropic", [{ kind: "http", status: 401, message: "invalid x-api-key" }]);
    const s = await createSession(suite.env, { ...base, agent: "claude-badkey", env: keyEnv(m.url, "sk-wrong"), storyNumber: 2, prompt: "hi" });
    const done = await waitEnded(suite.env, s.id, 60_000);
    expect(done).toMatchObject({ status: "failed", reason: "auth", outcome: "auth" });
    expect(done.message).toContain("Invalid API key");
  });

  it("server down: fails as network within bounded time", async () => {
    const port = await closedPort();
    const started = Date.now();
    const s = await createSession(suite.env, { ...base, agent: "claude-down", env: keyEnv(`http://127.0.0.1:${port}`), storyNumber: 3, prompt: "hi" });
    const done = await waitEnded(suite.env, s.id, 90_000);
    expect(done).toMatchObject({ status: "failed", reason: "network" });
    expect(done.message).toContain("Unable to connect to API");
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("turn limit: fails as max_turns", async () => {
    const m = await mock("anthropic", [{ kind: "read", path: "/etc/hostname" }]);
    const s = await createSession(suite.env, { ...base, agent: "claude-loop", env: keyEnv(m.url), storyNumber: 4, prompt: "loop", maxTurns: 2 });
    const done = await waitEnded(suite.env, s.id, 60_000);
    expect(done).toMatchObject({ status: "failed", reason: "max_turns" });
    expect(done.message).toContain("Reached maximum number of turns (2)");
  });

  it("resume of an unknown id: the runner clears it and starts fresh with the full prompt, once", async () => {
    const m = await mock("anthropic", [{ kind: "text", text: "Fresh start done." }]);
    const s = await createSession(suite.env, {
      ...base,
      agent: "claude-resume",
      env: keyEnv(m.url),
      storyNumber: 5,
      prompt: "only the new message",
      resumeRuntimeSessionId: "11111111-2222-3333-4444-555555555555",
      freshPrompt: "FULL PROMPT plus the new message",
    });
    const done = await waitEnded(suite.env, s.id, 60_000);
    expect(done.status, done.message ?? "").toBe("completed");
    const log = await logText(suite.env, s.id);
    expect(log).toContain("No conversation found with session ID: 11111111-2222-3333-4444-555555555555");
    expect(requestText(m.mainRequests()[0].body)).toContain("FULL PROMPT plus the new message");
    expect(done.runtimeSessionId).not.toBe("11111111-2222-3333-4444-555555555555");
    expect(done.resumeRuntimeSessionId).toBeNull();
  });
});
