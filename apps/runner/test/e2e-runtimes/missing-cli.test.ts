// A runtime whose CLI is not installed fails at once with the npm package to install.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, startEnv, stopEnv, waitEnded, type Env } from "./helpers.ts";

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await stopEnv(env);
});

// Real CLIs on a loaded 2-core machine: generous per-test bounds; each failure test also bounds its wait.
describe("missing agent CLI", { timeout: 240_000 }, () => {
  it.each([
    ["claude-code", "claude", "@anthropic-ai/claude-code"],
    ["gemini", "gemini", "@google/gemini-cli"],
    ["codex", "codex", "@openai/codex"],
  ] as const)("%s: spawn error names %s and the package %s", async (runtime, bin, pkg) => {
    // The agent's env replaces PATH with folders that hold none of the CLIs (the runner has them,
    // and a key, so it claims the session).
    const s = await createSession(env, {
      agent: `no-${bin}`,
      runtime,
      model: "m",
      env: { PATH: "/nonexistent-bin", ANTHROPIC_API_KEY: "unused", GEMINI_API_KEY: "unused", OPENAI_API_KEY: "unused" },
      storyNumber: { claude: 1, gemini: 2, codex: 3 }[bin],
      prompt: "hi",
    });
    const done = await waitEnded(env, s.id, 60_000);
    expect(done).toMatchObject({ status: "failed", reason: "spawn_error" });
    expect(done.message).toContain(`"${bin}"`);
    expect(done.message).toContain(`npm install -g ${pkg}`);
  });
});
