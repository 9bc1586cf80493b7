// Issue #15: the real Codex and Gemini CLIs, in the runner's sandbox, call Drover's MCP tools
// (scripted by their mock models): a criterion ticked and a comment added, signed by the agent.
import { describe, expect, it } from "vitest";
import { createSession, eventsOf, logText, runtimeSuite, waitEnded } from "./helpers.ts";

const suite = runtimeSuite();

// Codex offers MCP tools directly only to models without tool search (gpt-4.1 here); a model with it
// (gpt-5.x) finds them through tool_search first, a round the mock does not script.
const cases = [
  { runtime: "codex", kind: "openai", model: "gpt-4.1", env: (url: string) => ({ OPENAI_BASE_URL: `${url}/v1`, OPENAI_API_KEY: "sk-mock" }) },
  { runtime: "gemini", kind: "gemini", model: "gemini-2.5-pro", env: (url: string) => ({ GOOGLE_GEMINI_BASE_URL: url, GEMINI_API_KEY: "mock-key" }) },
] as const;

describe("Codex and Gemini with Drover's MCP tools", { timeout: 240_000 }, () => {
  for (const [i, c] of cases.entries()) {
    it(`${c.runtime}: ticks a criterion and comments through the tools`, async () => {
      const { t } = suite.env;
      const m = await suite.mock(c.kind, [
        { kind: "tool", name: "check_criterion", input: { index: 0 } },
        { kind: "tool", name: "add_comment", input: { text: `Ticked by ${c.runtime}.` } },
        { kind: "text", text: "All done." },
      ]);
      const s = await createSession(suite.env, {
        agent: `${c.runtime}-mcp`,
        runtime: c.runtime,
        model: c.model,
        env: { ...c.env(m.url), DROVER_API_RETRIES: "0" },
        storyNumber: 10 + i,
        prompt: "Tick it (MCP)",
      });
      await t.db.story.update({ where: { id: s.storyId }, data: { body: `# Story ${10 + i}\n\n## Acceptance Criteria\n\n- [ ] it works\n` } });
      const done = await waitEnded(suite.env, s.id);
      expect(done.status, `${done.message}\n${(await logText(suite.env, s.id)).slice(-4000)}`).toBe("completed");
      expect((await t.db.story.findUniqueOrThrow({ where: { id: s.storyId } })).body).toContain("- [x] it works");
      const comment = await t.db.projectEvent.findFirstOrThrow({ where: { storyId: s.storyId, kind: "comment" } });
      expect(comment).toMatchObject({ message: `Ticked by ${c.runtime}.`, actorKind: "agent", actorName: `agent ${c.runtime}-mcp` });
      const calls = (await eventsOf(suite.env, s.id)).filter((e) => e.kind === "tool_call").map((e) => (e.payload as { name: string }).name);
      expect(calls.length).toBe(2);
      expect(calls[0]).toMatch(/check_criterion/);
      expect(calls[1]).toMatch(/add_comment/);
    });
  }
});
