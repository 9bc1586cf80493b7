// Codex 0.169.0 from npm, driven by the real runner against a mock OpenAI Responses API.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { closedPort } from "../mock-models/server.ts";
import { requestText } from "../mock-models/script.ts";
import { projectCosts } from "@drover/db/services/costs";
import { createSession, eventsOf, logText, runtimeSuite, waitEnded, worktreeOf } from "./helpers.ts";

const suite = runtimeSuite({ "gpt-5.5": { input_per_mtok: 1.25, output_per_mtok: 10, cache_read_per_mtok: 0.125 } });
const mock = suite.mock;

const base = { runtime: "codex" as const, model: "gpt-5.5" };
const keyEnv = (url: string, key = "sk-mock") => ({ OPENAI_BASE_URL: `${url}/v1`, OPENAI_API_KEY: key, DROVER_API_RETRIES: "0" });

// Real CLIs on a loaded 2-core machine: generous per-test bounds; each failure test also bounds its wait.
describe("codex end to end through the runner", { timeout: 240_000 }, () => {
  it("writes a file in the worktree, completes, stores events, tokens and cost; then resumes with context", async () => {
    const wt = worktreeOf(suite.env, 1);
    const m = await mock("openai", [
      { kind: "write", path: "hello.txt", content: "hi from codex", text: "Writing the file." },
      { kind: "text", text: "Done: wrote hello.txt." },
      { kind: "text", text: "Resumed and remembered." },
    ]);
    const s = await createSession(suite.env, {
      ...base,
      agent: "codex-coder",
      env: keyEnv(m.url),
      storyNumber: 1,
      prompt: "Please write hello.txt (FIRST-PROMPT)",
    });
    const done = await waitEnded(suite.env, s.id);
    expect(done.status, done.message ?? "").toBe("completed");
    expect(fs.readFileSync(path.join(wt, "hello.txt"), "utf8")).toBe("hi from codex\n");
    const kinds = (await eventsOf(suite.env, s.id)).map((e) => e.kind);
    for (const k of ["init", "text", "tool_call", "tool_result", "usage", "result"]) expect(kinds).toContain(k);
    expect(done.runtimeSessionId).toBeTruthy();
    expect(done).toMatchObject({ outcome: "success", turns: 2, inputTokens: 120, cacheReadTokens: 80, outputTokens: 40, costEstimated: true });
    expect(m.mainRequests()[0].headers.authorization).toBe("Bearer sk-mock");
    // Codex reports no cost: it comes from the project's price table, marked estimated.
    const cost = (await projectCosts(suite.env.t.db, { projectId: suite.env.projectId })).bySession.find((c) => c.sessionId === s.id)!;
    expect(cost).toMatchObject({ source: "estimated" });
    expect(done.costUsd).toBeCloseTo(cost.costUsd!, 10); // recorded on the session by the runner
    expect(cost.costUsd).toBeCloseTo((120 * 1.25 + 80 * 0.125 + 40 * 10) / 1e6, 10);

    // Resume: only the new message goes to the CLI; the model sees the earlier conversation.
    const r = await createSession(suite.env, {
      ...base,
      agent: "codex-coder",
      env: keyEnv(m.url),
      storyNumber: 1,
      prompt: "Gate failed: fix it (SECOND-PROMPT)",
      resumeRuntimeSessionId: done.runtimeSessionId!,
    });
    const resumed = await waitEnded(suite.env, r.id);
    expect(resumed.status, resumed.message ?? "").toBe("completed");
    const seen = requestText(m.mainRequests().at(-1)!.body);
    expect(seen).toContain("FIRST-PROMPT");
    expect(seen).toContain("hi from codex");
    expect(seen).toContain("SECOND-PROMPT");
    expect(resumed.runtimeSessionId).toBe(done.runtimeSessionId);
  });

  it("bad key: fails as auth with Codex's words", async () => {
    const m = await mock("openai", [{ kind: "http", status: 401, message: "Incorrect API key provided: sk-wrong." }]);
    const s = await createSession(suite.env, { ...base, agent: "codex-badkey", env: keyEnv(m.url, "sk-wrong"), storyNumber: 2, prompt: "hi" });
    const done = await waitEnded(suite.env, s.id, 60_000);
    expect(done).toMatchObject({ status: "failed", reason: "auth", outcome: "auth" });
    expect(done.message).toContain("401 Unauthorized: Incorrect API key provided");
  });

  it("server down: fails as network within bounded time", async () => {
    const port = await closedPort();
    const started = Date.now();
    const s = await createSession(suite.env, { ...base, agent: "codex-down", env: keyEnv(`http://127.0.0.1:${port}`), storyNumber: 3, prompt: "hi" });
    const done = await waitEnded(suite.env, s.id, 120_000);
    expect(done).toMatchObject({ status: "failed", reason: "network" });
    // In the sandbox the proxy drops a connection it cannot make, as an unreachable server would:
    // Codex gives up at once ("error sending request"). Unsandboxed it keeps "Reconnecting..." and
    // the adapter declares the failure (packages/core/test/runtimes/codex.test.ts replays that).
    expect(done.message).toContain("error sending request");
    expect(Date.now() - started).toBeLessThan(100_000);
  });

  it("turn limit: fails as max_turns", async () => {
    const m = await mock("openai", [{ kind: "read", path: "README.md" }]);
    const s = await createSession(suite.env, { ...base, agent: "codex-loop", env: keyEnv(m.url), storyNumber: 4, prompt: "loop", maxTurns: 2 });
    const done = await waitEnded(suite.env, s.id, 60_000);
    expect(done).toMatchObject({ status: "failed", reason: "max_turns" });
    // Codex has no turn limit: the adapter counts tool turns and the runner stops the process.
    expect(done.message).toContain("Turn limit reached: 2 tool turns");
    expect(done.turns).toBe(3);
  });

  it("resume of an unknown id: the runner clears it and starts fresh with the full prompt, once", async () => {
    const m = await mock("openai", [{ kind: "text", text: "Fresh start done." }]);
    const s = await createSession(suite.env, {
      ...base,
      agent: "codex-resume",
      env: keyEnv(m.url),
      storyNumber: 5,
      prompt: "only the new message",
      resumeRuntimeSessionId: "11111111-2222-3333-4444-555555555555",
      freshPrompt: "FULL PROMPT plus the new message",
    });
    const done = await waitEnded(suite.env, s.id, 60_000);
    expect(done.status, done.message ?? "").toBe("completed");
    const log = await logText(suite.env, s.id);
    expect(log).toContain("no rollout found for thread id 11111111-2222-3333-4444-555555555555");
    expect(requestText(m.mainRequests()[0].body)).toContain("FULL PROMPT plus the new message");
    expect(done.runtimeSessionId).not.toBe("11111111-2222-3333-4444-555555555555");
    expect(done.resumeRuntimeSessionId).toBeNull();
  });
});
