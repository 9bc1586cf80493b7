// Issue #15: the real Codex and Gemini CLIs, in the runner's sandbox, call Drover's MCP tools
// (scripted by their mock models): a criterion ticked, a story filed and a comment added, signed by
// the agent; and a question asked through ask_human, answered as the story page does, resumes the
// same conversation with the answer in the model's next request.
import { describe, expect, it } from "vitest";
import { answerQuestion } from "@drover/db/services/story-talk";
import { testActor } from "@drover/db/testing/actors";
import { requestText } from "../mock-models/script.ts";
import { createSession, eventsOf, logText, runtimeSuite, waitEnded } from "./helpers.ts";

const suite = runtimeSuite();

// Codex offers MCP tools directly only to models without tool search (gpt-4.1 here); a model with it
// (gpt-5.x) finds them through tool_search first, a round the mock does not script.
const cases = [
  { runtime: "codex", kind: "openai", model: "gpt-4.1", env: (url: string) => ({ OPENAI_BASE_URL: `${url}/v1`, OPENAI_API_KEY: "sk-mock" }) },
  { runtime: "gemini", kind: "gemini", model: "gemini-2.5-pro", env: (url: string) => ({ GOOGLE_GEMINI_BASE_URL: url, GEMINI_API_KEY: "mock-key" }) },
] as const;

type Case = (typeof cases)[number];

/** A session of `c`'s CLI against the mock at `url`, as the runner would claim it. */
const session = (c: Case, agent: string, storyNumber: number, prompt: string, url: string) =>
  createSession(suite.env, { agent, runtime: c.runtime, model: c.model, env: { ...c.env(url), DROVER_API_RETRIES: "0" }, storyNumber, prompt });

describe("Codex and Gemini with Drover's MCP tools", { timeout: 240_000 }, () => {
  for (const [i, c] of cases.entries()) {
    it(`${c.runtime}: ticks a criterion, creates a story and comments through the tools`, async () => {
      const { t, projectId } = suite.env;
      const filedNumber = 30 + i;
      const m = await suite.mock(c.kind, [
        { kind: "tool", name: "check_criterion", input: { index: 0 } },
        {
          kind: "tool",
          name: "create_story",
          input: {
            title: `Export for ${c.runtime}`,
            user_story: "As a user I export my data.",
            acceptance_criteria: ["a CSV file", "a JSON file"],
            depends_on: [10 + i],
            kind: "story",
          },
        },
        { kind: "tool", name: "add_comment", input: { text: `Ticked by ${c.runtime}.` } },
        { kind: "text", text: "All done." },
      ]);
      const s = await session(c, `${c.runtime}-mcp`, 10 + i, "Tick it (MCP)", m.url);
      await t.db.story.update({ where: { id: s.storyId }, data: { body: `# Story ${10 + i}\n\n## Acceptance Criteria\n\n- [ ] it works\n` } });
      await t.db.project.update({ where: { id: projectId }, data: { nextStoryNumber: filedNumber } });
      const done = await waitEnded(suite.env, s.id);
      expect(done.status, `${done.message}\n${(await logText(suite.env, s.id)).slice(-4000)}`).toBe("completed");
      expect((await t.db.story.findUniqueOrThrow({ where: { id: s.storyId } })).body).toContain("- [x] it works");
      // Filed in backlog with the project's next number and the UI's format.
      const filed = await t.db.story.findUniqueOrThrow({ where: { projectId_number: { projectId, number: filedNumber } } });
      expect(filed).toMatchObject({ title: `Export for ${c.runtime}`, stage: "backlog", dependsOn: [10 + i] });
      expect(filed.body).toBe(
        `# Story ${filedNumber}: Export for ${c.runtime}\n\nAs a user I export my data.\n\n## Acceptance Criteria\n\n- [ ] a CSV file\n- [ ] a JSON file\n`,
      );
      expect((await t.db.project.findUniqueOrThrow({ where: { id: projectId } })).nextStoryNumber).toBe(filedNumber + 1);
      const comment = await t.db.projectEvent.findFirstOrThrow({ where: { storyId: s.storyId, kind: "comment" } });
      expect(comment).toMatchObject({ message: `Ticked by ${c.runtime}.`, actorKind: "agent", actorName: `agent ${c.runtime}-mcp` });
      const calls = (await eventsOf(suite.env, s.id)).filter((e) => e.kind === "tool_call").map((e) => (e.payload as { name: string }).name);
      expect(calls.length).toBe(3);
      expect(calls[0]).toMatch(/check_criterion/);
      expect(calls[1]).toMatch(/create_story/);
      expect(calls[2]).toMatch(/add_comment/);
    });

    it(`${c.runtime}: ask_human ends the session waiting; the answer resumes the same conversation and the model sees it`, async () => {
      const { t, projectId } = suite.env;
      const n = 20 + i;
      const question = `Should ${c.runtime} export dates in UTC?`;
      const m = await suite.mock(c.kind, [
        { kind: "tool", name: "ask_human", input: { question } },
        { kind: "text", text: "Waiting for the answer." },
        { kind: "text", text: "Thanks: UTC it is." },
      ]);
      const s = await session(c, `${c.runtime}-asks`, n, "Build the export (ASKING-PROMPT)", m.url);
      const asked = await waitEnded(suite.env, s.id);
      expect(asked.status, `${asked.message}\n${(await logText(suite.env, s.id)).slice(-4000)}`).toBe("completed");
      expect(asked.runtimeSessionId).toBeTruthy();
      expect(await t.db.story.findUniqueOrThrow({ where: { id: s.storyId } })).toMatchObject({ blocked: true, inputQuestion: question, inputSessionId: s.id });

      // The story page's answer: the same service its tRPC procedure calls.
      const before = m.mainRequests().length;
      const resumed = await answerQuestion(t.db, { projectId, storyNumber: n, answer: `Yes, ANSWER-UTC-${c.runtime}.` }, testActor);
      expect(resumed.resumeRuntimeSessionId).toBe(asked.runtimeSessionId);
      const done = await waitEnded(suite.env, resumed.id);
      expect(done.status, `${done.message}\n${(await logText(suite.env, resumed.id)).slice(-4000)}`).toBe("completed");
      expect(done.runtimeSessionId).toBe(asked.runtimeSessionId); // resumed, not a fresh conversation
      expect((await t.db.story.findUniqueOrThrow({ where: { id: s.storyId } })).blocked).toBe(false);
      expect(m.mainRequests().length).toBeGreaterThan(before);
      // The resumed request carries the earlier conversation (prompt and question) and the answer.
      const seen = requestText(m.mainRequests().at(-1)!.body);
      expect(seen).toContain("ASKING-PROMPT");
      expect(seen).toContain(question);
      expect(seen).toContain(`Yes, ANSWER-UTC-${c.runtime}.`);
    });
  }
});
