// Issue #19: the real Claude Code, Codex and Gemini CLIs in the runner's sandbox (the default).
// Each reaches its mock model server only through the proxy's allowlist (the base URL its roster
// sets), writes a file and commits it in its worktree with its own shell tool; the session
// completes and the commit is on the story's branch. Codex runs with its own sandbox off inside ours
// (a nested bubblewrap could not write the git dirs a commit needs). Claude runs with bypassPermissions
// as root's runner: inside the sandbox it is an unprivileged user, so Claude Code accepts it.
import path from "node:path";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createSession, logText, runtimeSuite, waitEnded, worktreeOf } from "./helpers.ts";

const suite = runtimeSuite();

const cases = [
  {
    runtime: "claude-code",
    kind: "anthropic",
    model: "claude-sonnet-4-5",
    env: (url: string) => ({ ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: "sk-mock" }),
    config: { permission_mode: "bypassPermissions" },
  },
  {
    runtime: "codex",
    kind: "openai",
    model: "gpt-5.5",
    env: (url: string) => ({ OPENAI_BASE_URL: `${url}/v1`, OPENAI_API_KEY: "sk-mock" }),
    config: {},
  },
  {
    runtime: "gemini",
    kind: "gemini",
    model: "gemini-2.5-pro",
    env: (url: string) => ({ GOOGLE_GEMINI_BASE_URL: url, GEMINI_API_KEY: "mock-key" }),
    config: {},
  },
] as const;

describe("real CLIs in the sandbox", { timeout: 240_000 }, () => {
  for (const [i, c] of cases.entries()) {
    it(`${c.runtime}: reaches its model through the allowlist, commits in its worktree, completes`, async () => {
      const story = 40 + i;
      const wt = worktreeOf(suite.env, story);
      const m = await suite.mock(c.kind, [
        { kind: "write", path: path.join(wt, "sandboxed.txt"), content: `from ${c.runtime}\n`, text: "Writing." },
        { kind: "shell", command: "git add sandboxed.txt && git commit -q -m 'sandboxed work' && id -u" },
        { kind: "text", text: "Committed." },
      ]);
      const s = await createSession(suite.env, {
        runtime: c.runtime,
        model: c.model,
        agent: `sbx-${c.runtime}`,
        env: { ...c.env(m.url), DROVER_API_RETRIES: "0" },
        storyNumber: story,
        prompt: "write and commit",
        config: c.config,
      });
      const done = await waitEnded(suite.env, s.id, 180_000);
      const log = await logText(suite.env, s.id);
      expect(done.status, log).toBe("completed");
      expect(log).toContain(`Sandboxed; network allowlist:`);
      expect(log).toContain(new URL(m.url).host);
      expect(m.mainRequests().length).toBeGreaterThanOrEqual(3);
      expect(log).toMatch(/tool_result: .*\b1000\b/); // `id -u` in the sandbox: not root
      const show = (() => {
        try {
          return execFileSync("git", ["show", `drover/${story}-story-${story}:sandboxed.txt`], { cwd: suite.env.repo, encoding: "utf8", stdio: "pipe" });
        } catch (e) {
          return `not committed: ${(e as Error).message}\n${log}`;
        }
      })();
      expect(show.trimEnd()).toBe(`from ${c.runtime}`); // Codex's write tool ends files with an extra newline
    });
  }
});
