// Gemini CLI 0.61.0 from npm, driven by the real runner against a mock Gemini API.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { closedPort } from "../mock-models/server.ts";
import { requestText } from "../mock-models/script.ts";
import { projectCosts } from "@drover/db/services/costs";
import { createSession, eventsOf, logText, runtimeSuite, waitEnded, worktreeOf } from "./helpers.ts";

const suite = runtimeSuite({ "gemini-2.5-pro": { input_per_mtok: 1.25, output_per_mtok: 10, cache_read_per_mtok: 0.31 } });
const mock = suite.mock;

const base = { runtime: "gemini" as const, model: "gemini-2.5-pro" };
const keyEnv = (url: string, key = "mock-key") => ({ GOOGLE_GEMINI_BASE_URL: url, GEMINI_API_KEY: key, DROVER_API_RETRIES: "0" });

// Real CLIs on a loaded 2-core machine: generous per-test bounds; each failure test also bounds its wait.
describe("gemini end to end through the runner", { timeout: 240_000 }, () => {
  it("writes a file in the worktree, completes, stores events, tokens and cost; then resumes with context", async () => {
    const wt = worktreeOf(suite.env, 1);
    const m = await mock("gemini", [
      { kind: "write", path: path.join(wt, "hello.txt"), content: "hi from gemini\n", text: "Writing the file." },
      { kind: "text", text: "Done: wrote hello.txt." },
      { kind: "text", text: "Resumed and remembered." },
    ]);
    const s = await createSession(suite.env, {
      ...base,
      agent: "gemini-coder",
      env: keyEnv(m.url),
      storyNumber: 1,
      prompt: `Please write hello.txt (FIRST-PROMPT) ${"x".repeat(150_000)}`,
    }); // beyond one argv string's limit (128 KiB)
    const done = await waitEnded(suite.env, s.id);
    expect(done.status, done.message ?? "").toBe("completed");
    expect(fs.readFileSync(path.join(wt, "hello.txt"), "utf8")).toBe("hi from gemini\n");
    const kinds = (await eventsOf(suite.env, s.id)).map((e) => e.kind);
    for (const k of ["init", "text", "tool_call", "tool_result", "usage", "result"]) expect(kinds).toContain(k);
    expect(done.runtimeSessionId).toBeTruthy();
    expect(done).toMatchObject({ outcome: "success", turns: 2, inputTokens: 200, outputTokens: 40, costEstimated: true });
    expect(m.mainRequests()[0].headers["x-goog-api-key"]).toBe("mock-key");
    expect(requestText(m.mainRequests()[0].body)).toContain("x".repeat(150_000));
    // Gemini reports no cost: it comes from the project's price table, marked estimated.
    const cost = (await projectCosts(suite.env.t.db, { projectId: suite.env.projectId })).bySession.find((c) => c.sessionId === s.id)!;
    expect(cost).toMatchObject({ source: "estimated" });
    expect(done.costUsd).toBeCloseTo(cost.costUsd!, 10); // recorded on the session by the runner
    expect(cost.costUsd).toBeCloseTo((200 * 1.25 + 40 * 10) / 1e6, 10);

    // Resume: only the new message goes to the CLI; the model sees the earlier conversation.
    const r = await createSession(suite.env, {
      ...base,
      agent: "gemini-coder",
      env: keyEnv(m.url),
      storyNumber: 1,
      prompt: "Gate failed: fix it (SECOND-PROMPT)",
      resumeRuntimeSessionId: done.runtimeSessionId!,
    });
    const resumed = await waitEnded(suite.env, r.id);
    expect(resumed.status, resumed.message ?? "").toBe("completed");
    const seen = requestText(m.mainRequests().at(-1)!.body);
    expect(seen).toContain("FIRST-PROMPT");
    expect(seen).toContain("hi from gemini");
    expect(seen).toContain("SECOND-PROMPT");
    expect(resumed.runtimeSessionId).toBe(done.runtimeSessionId);
  });

  it("bad key: fails as auth with Gemini's words", async () => {
    const m = await mock("gemini", [{ kind: "http", status: 401, message: "API key not valid. Please pass a valid API key." }]);
    const s = await createSession(suite.env, { ...base, agent: "gemini-badkey", env: keyEnv(m.url, "sk-wrong"), storyNumber: 2, prompt: "hi" });
    const done = await waitEnded(suite.env, s.id, 60_000);
    expect(done).toMatchObject({ status: "failed", reason: "auth", outcome: "auth" });
    expect(done.message).toContain("API key not valid");
  });

  it("rate limit: fails as rate_limited and stores a hard rate_limit event with Gemini's reset time", async () => {
    const m = await mock("gemini", [{ kind: "http", status: 429, resetSeconds: 3600, message: "Resource has been exhausted (e.g. check quota)." }]);
    const s = await createSession(suite.env, { ...base, agent: "gemini-429", env: keyEnv(m.url), storyNumber: 6, prompt: "hi" });
    const done = await waitEnded(suite.env, s.id, 90_000);
    expect(done).toMatchObject({ status: "failed", reason: "rate_limited", outcome: "rate_limited" });
    expect(done.message).toContain("Resource has been exhausted");
    const rl = (await eventsOf(suite.env, s.id)).filter((e) => e.kind === "rate_limit");
    expect(rl).toHaveLength(1);
    const payload = rl[0].payload as { level: string; resetsAt: string };
    expect(payload.level).toBe("hard");
    expect(Math.abs(Date.parse(payload.resetsAt) - (Date.now() + 3600_000))).toBeLessThan(120_000);
  });

  it("server down: fails as network within bounded time", async () => {
    const port = await closedPort();
    const started = Date.now();
    const s = await createSession(suite.env, { ...base, agent: "gemini-down", env: keyEnv(`http://127.0.0.1:${port}`), storyNumber: 3, prompt: "hi" });
    const done = await waitEnded(suite.env, s.id, 90_000);
    expect(done).toMatchObject({ status: "failed", reason: "network" });
    expect(done.message).toContain("fetch failed");
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("turn limit: fails as max_turns", async () => {
    const m = await mock("gemini", [{ kind: "read", path: path.join(worktreeOf(suite.env, 4), "README.md") }]);
    const s = await createSession(suite.env, { ...base, agent: "gemini-loop", env: keyEnv(m.url), storyNumber: 4, prompt: "loop", maxTurns: 2 });
    const done = await waitEnded(suite.env, s.id, 60_000);
    expect(done).toMatchObject({ status: "failed", reason: "max_turns" });
    expect(done.message).toContain("Reached max session turns");
  });

  it("resume of an unknown id: the runner clears it and starts fresh with the full prompt, once", async () => {
    const m = await mock("gemini", [{ kind: "text", text: "Fresh start done." }]);
    const s = await createSession(suite.env, {
      ...base,
      agent: "gemini-resume",
      env: keyEnv(m.url),
      storyNumber: 5,
      prompt: "only the new message",
      resumeRuntimeSessionId: "11111111-2222-3333-4444-555555555555",
      freshPrompt: "FULL PROMPT plus the new message",
    });
    const done = await waitEnded(suite.env, s.id, 60_000);
    expect(done.status, done.message ?? "").toBe("completed");
    const log = await logText(suite.env, s.id);
    expect(log).toContain("No previous sessions found for this project.");
    expect(requestText(m.mainRequests()[0].body)).toContain("FULL PROMPT plus the new message");
    expect(done.runtimeSessionId).not.toBe("11111111-2222-3333-4444-555555555555");
    expect(done.resumeRuntimeSessionId).toBeNull();
  });
});
