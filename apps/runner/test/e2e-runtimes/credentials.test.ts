// The credentials people really have, through the real runner and real CLIs, against mock model
// APIs that refuse (401, as the real ones) any request without the expected credential. Each
// story goes from current to done: the coder commits in its worktree with git, the server merges
// the change onto main.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { rawSessionLog, sessionEvents } from "@drover/db/services/session-views";
import { MASK } from "@drover/core/runtimes/secret-mask";
import { startMockModel, type MockModelServer } from "../mock-models/server.ts";
import type { Reply } from "../mock-models/script.ts";
import { baseRunnerEnv, coderRoster, runStoryToDone } from "./story-flow.ts";

let t: TestDatabase;
const mocks: MockModelServer[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(mocks.map((m) => m.close()));
  await t?.drop();
});

async function mock(api: "anthropic" | "openai" | "gemini", credential: string, replies: Reply[]) {
  const m = await startMockModel(api, replies, { credential });
  mocks.push(m);
  return m;
}

const commit = (who: string): Reply[] => [
  { kind: "shell", text: "Adding the file.", command: `printf 'hello from ${who}\\n' > hello.txt && git add hello.txt && git commit -q -m 'Add hello.txt'` },
  { kind: "text", text: "Done: hello.txt is committed." },
];

/** Everything stored about the coder's sessions, as text. */
async function storedText(storyId: number): Promise<string> {
  const sessions = await t.db.agentSession.findMany({ where: { storyId } });
  const events = await t.db.sessionEvent.findMany({ where: { sessionId: { in: sessions.map((s) => s.id) } } });
  return JSON.stringify({ sessions: sessions.map((s) => [s.message, s.report, s.prompt]), events: events.map((e) => [e.text, e.payload, e.raw]) });
}

const claudeTools = `allowed_tools = ["Bash"]\n`;

describe("credentials, per runtime, through the runner, in the sandbox", { timeout: 300_000 }, () => {
  it("Claude Code: a key only in the runner's environment reaches it (never the roster); the story is done with the commit on main", async () => {
    const key = `sk-ant-runner-${randomBytes(6).toString("hex")}`;
    const m = await mock("anthropic", key, commit("claude"));
    const run = await runStoryToDone(t, {
      roster: coderRoster("claude-code", "claude-sonnet-4-5", { ANTHROPIC_BASE_URL: m.url, DROVER_API_RETRIES: "0" }, claudeTools),
      runnerEnv: { ...baseRunnerEnv(), ANTHROPIC_API_KEY: key },
    });
    expect(run.git("show", "main:hello.txt")).toBe("hello from claude");
    expect(m.mainRequests().length).toBeGreaterThan(0);
    expect(m.mainRequests().every((r) => r.headers["x-api-key"] === key)).toBe(true);
    const stored = await storedText(run.storyId);
    expect(stored).toContain("ANTHROPIC_API_KEY from the runner's environment");
    expect(stored).toContain("Sandboxed; network allowlist:"); // issue 19: in the sandbox, the default
    expect(stored).not.toContain(key);
  });

  it("Claude Code: no key anywhere, only the runner user's `claude login` file, linked (not copied) and sent as a Bearer token", async () => {
    const token = `sk-ant-oat01-${randomBytes(8).toString("hex")}`;
    const env = baseRunnerEnv();
    const login = path.join(env.HOME!, ".claude", ".credentials.json");
    fs.mkdirSync(path.dirname(login), { recursive: true });
    fs.writeFileSync(
      login,
      JSON.stringify({
        claudeAiOauth: {
          accessToken: token,
          refreshToken: `sk-ant-ort01-${randomBytes(8).toString("hex")}`,
          expiresAt: Date.now() + 24 * 3600_000,
          scopes: ["user:inference", "user:profile"],
          subscriptionType: "max",
        },
      }),
      { mode: 0o600 },
    );
    const m = await mock("anthropic", token, commit("claude-login"));
    const run = await runStoryToDone(t, {
      roster: coderRoster("claude-code", "claude-sonnet-4-5", { ANTHROPIC_BASE_URL: m.url, DROVER_API_RETRIES: "0" }, claudeTools),
      runnerEnv: env,
    });
    expect(run.git("show", "main:hello.txt")).toBe("hello from claude-login");
    expect(m.mainRequests().every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
    const linked = fs
      .readdirSync(path.join(run.dataDir, "runtime-state"))
      .map((d) => path.join(run.dataDir, "runtime-state", d, "claude", ".credentials.json"));
    expect(linked).toHaveLength(1);
    expect(fs.lstatSync(linked[0]!).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(linked[0]!)).toBe(login);
    const stored = await storedText(run.storyId);
    expect(stored).toContain("login ~/.claude/.credentials.json linked");
    expect(stored).not.toContain(token);
  });

  it("Claude Code: a Drover secret named in the roster; what the agent prints of it is masked in stored events, the live view, the raw download and gate output", async () => {
    const secretKey = randomBytes(32).toString("base64");
    const value = `sk-ant-secret-${randomBytes(8).toString("hex")}`;
    const m = await mock("anthropic", value, [
      {
        kind: "shell",
        text: "Checking the key.",
        command: `echo "my key is $ANTHROPIC_API_KEY" && echo "$ANTHROPIC_API_KEY" > local.secret && printf 'hello\\n' > hello.txt && git add hello.txt && git commit -q -m 'Add hello.txt'`,
      },
      { kind: "text", text: "Done." },
    ]);
    const run = await runStoryToDone(t, {
      roster: coderRoster(
        "claude-code",
        "claude-sonnet-4-5",
        { ANTHROPIC_BASE_URL: m.url, ANTHROPIC_API_KEY: "secret:anthropic", DROVER_API_RETRIES: "0" },
        claudeTools,
      ).replace("max_retries = 1\n", 'max_retries = 1\ngates = ["sh -c \\"cat local.secret 2>/dev/null || true\\""]\n'),
      runnerEnv: { ...baseRunnerEnv(), DROVER_SECRET_KEY: secretKey },
      secrets: { anthropic: value },
      files: { ".gitignore": "local.secret\n" },
    });
    expect(run.git("show", "main:hello.txt")).toBe("hello");
    expect(m.mainRequests().every((r) => r.headers["x-api-key"] === value)).toBe(true);
    const coder = await t.db.agentSession.findFirstOrThrow({ where: { storyId: run.storyId, stage: "coder" } });
    // Stored events: the tool's output and the gate's output are masked.
    const events = await t.db.sessionEvent.findMany({ where: { sessionId: coder.id } });
    const toolOut = events.filter((e) => e.kind === "tool_result").map((e) => JSON.stringify(e.payload));
    expect(toolOut.join("\n")).toContain(`my key is ${MASK}`);
    const gate = events.find((e) => e.kind === "gate")!;
    expect(gate.text).toContain(MASK);
    expect(JSON.stringify(coder.report)).toContain(MASK); // the gate report on the session
    // What the live log view reads, and the raw download.
    const live = await sessionEvents(t.db, { sessionId: coder.id, fromSeq: 0, toSeq: 4000 });
    let raw = "";
    for await (const chunk of (await rawSessionLog(t.db, coder.id))!) raw += chunk;
    expect(raw).toContain(MASK);
    for (const text of [JSON.stringify(live), raw, await storedText(run.storyId)]) expect(text).not.toContain(value);
  });

  it("Codex: OPENAI_API_KEY only in the runner's environment; it commits in its worktree (its git dirs are writable) and the story is done", async () => {
    const key = `sk-openai-runner-${randomBytes(6).toString("hex")}`;
    const m = await mock("openai", key, commit("codex"));
    const run = await runStoryToDone(t, {
      roster: coderRoster("codex", "gpt-5.5", { DROVER_API_RETRIES: "0" }),
      runnerEnv: { ...baseRunnerEnv(), OPENAI_API_KEY: key, OPENAI_BASE_URL: `${m.url}/v1` },
    });
    expect(run.git("show", "main:hello.txt")).toBe("hello from codex");
    expect(m.mainRequests().every((r) => r.headers.authorization === `Bearer ${key}`)).toBe(true);
    const stored = await storedText(run.storyId);
    expect(stored).toContain("Sandboxed; network allowlist:");
    expect(stored).not.toContain(key);
  });

  it("Gemini CLI: GEMINI_API_KEY only in the runner's environment; it commits in its worktree and the story is done", async () => {
    const key = `gemini-runner-${randomBytes(6).toString("hex")}`;
    const m = await mock("gemini", key, commit("gemini"));
    const run = await runStoryToDone(t, {
      roster: coderRoster("gemini", "gemini-2.5-flash", { DROVER_API_RETRIES: "0" }),
      runnerEnv: { ...baseRunnerEnv(), GEMINI_API_KEY: key, GOOGLE_GEMINI_BASE_URL: m.url },
    });
    expect(run.git("show", "main:hello.txt")).toBe("hello from gemini");
    expect(m.mainRequests().length).toBeGreaterThan(0);
    const stored = await storedText(run.storyId);
    expect(stored).toContain("Sandboxed; network allowlist:");
    expect(stored).not.toContain(key);
  });
});
