// Issue #15: the real Claude Code, in the runner's sandbox, calls Drover's MCP tools (scripted by
// the mock model): it ticks a criterion, files a story and comments; each lands on the board
// signed by the agent, and the calls and results are in the session log like any tool use.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerQuestion } from "@drover/db/services/story-talk";
import { testActor } from "@drover/db/testing/actors";
import { requestText } from "../mock-models/script.ts";
import { createSession, eventsOf, logText, runtimeSuite, waitEnded } from "./helpers.ts";

const suite = runtimeSuite();
const ARTIFACTS = join(import.meta.dirname, "../../test-results/artifacts/15");

/** A Claude Code session against the mock at `url`, as the runner would claim it. */
const claudeSession = (agent: string, storyNumber: number, prompt: string, url: string, config?: Record<string, unknown>) =>
  createSession(suite.env, {
    agent,
    runtime: "claude-code",
    model: "claude-sonnet-4-5",
    env: { ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: "sk-mock", DROVER_API_RETRIES: "0" },
    storyNumber,
    prompt,
    config,
  });

const story = (n: number) => `# Story ${n}: Login\n\nAs a user I log in.\n\n## Acceptance Criteria\n\n- [ ] a login form\n- [ ] an error message\n`;

describe("Claude Code with Drover's MCP tools", { timeout: 240_000 }, () => {
  it("ticks a criterion, creates a story and adds a comment through the tools; the log shows the calls", async () => {
    const { t, projectId } = suite.env;
    const m = await suite.mock("anthropic", [
      { kind: "tool", name: "check_criterion", input: { index: 1 }, text: "Ticking the error message." },
      {
        kind: "tool",
        name: "create_story",
        input: { title: "Remember me", user_story: "As a user I stay logged in.", acceptance_criteria: ["a checkbox"], depends_on: [1], kind: "story" },
      },
      { kind: "tool", name: "add_comment", input: { text: "Form done; the remember-me part is story 2." } },
      { kind: "text", text: "All done." },
    ]);
    const s = await claudeSession("claude-mcp", 1, "Build the login (MCP)", m.url);
    await t.db.story.update({ where: { id: s.storyId }, data: { body: story(1) } });
    await t.db.project.update({ where: { id: projectId }, data: { nextStoryNumber: 2 } });
    const done = await waitEnded(suite.env, s.id);
    expect(done.status, `${done.message}\n${(await logText(suite.env, s.id)).slice(-3000)}`).toBe("completed");

    // The board: ticked, a new story numbered like the UI's, a comment signed by the agent.
    const mine = await t.db.story.findUniqueOrThrow({ where: { id: s.storyId } });
    expect(mine.body).toContain("- [ ] a login form\n- [x] an error message");
    const filed = await t.db.story.findUniqueOrThrow({ where: { projectId_number: { projectId, number: 2 } } });
    expect(filed).toMatchObject({ title: "Remember me", stage: "backlog", dependsOn: [1] });
    expect(filed.body).toBe("# Story 2: Remember me\n\nAs a user I stay logged in.\n\n## Acceptance Criteria\n\n- [ ] a checkbox\n");
    const comment = await t.db.projectEvent.findFirstOrThrow({ where: { storyId: s.storyId, kind: "comment" } });
    expect(comment).toMatchObject({ message: "Form done; the remember-me part is story 2.", actorKind: "agent", actorName: "agent claude-mcp" });

    // The session log: the tool calls by their MCP names, and their results, ok.
    const evs = await eventsOf(suite.env, s.id);
    const calls = evs.filter((e) => e.kind === "tool_call").map((e) => (e.payload as { name: string }).name);
    expect(calls).toEqual(["mcp__drover__check_criterion", "mcp__drover__create_story", "mcp__drover__add_comment"]);
    const results = evs.filter((e) => e.kind === "tool_result").map((e) => e.payload as { ok: boolean; output: string });
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(results[1]!.output).toContain("Created story 2 in backlog: Remember me");
    // The model saw the tool's answer; the token never reached the log.
    expect(requestText(m.mainRequests().at(-1)!.body)).toContain("Comment added to story 1");
    const log = await logText(suite.env, s.id);
    expect(log).toMatch(/Sandboxed; network allowlist: .*127\.0\.0\.1:\d+/); // the endpoint joined the sandbox's allowlist
    expect(log).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}/);
    // Kept for the note: one session's log with the tool calls.
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(join(ARTIFACTS, "claude-mcp-session.log"), log);
  });

  it("ask_human: the session ends waiting, the story needs input; the answer resumes the same conversation and the model sees it", async () => {
    const { t, projectId } = suite.env;
    const m = await suite.mock("anthropic", [
      { kind: "tool", name: "ask_human", input: { question: "Should logins accept e-mail addresses?" } },
      { kind: "text", text: "Waiting for the answer." },
      { kind: "text", text: "Thanks: e-mail it is." },
    ]);
    const s = await claudeSession("claude-asks", 4, "Build the login (ASKING-PROMPT)", m.url);
    const asked = await waitEnded(suite.env, s.id);
    expect(asked.status, asked.message ?? "").toBe("completed");
    expect(await t.db.story.findUniqueOrThrow({ where: { id: s.storyId } })).toMatchObject({
      blocked: true,
      inputQuestion: "Should logins accept e-mail addresses?",
      inputSessionId: s.id,
    });

    const resumed = await answerQuestion(t.db, { projectId, storyNumber: 4, answer: "Yes, ANSWER-E-MAIL-OK." }, testActor);
    expect(resumed.resumeRuntimeSessionId).toBe(asked.runtimeSessionId);
    const done = await waitEnded(suite.env, resumed.id);
    expect(done.status, done.message ?? "").toBe("completed");
    expect(done.runtimeSessionId).toBe(asked.runtimeSessionId); // the same conversation
    const seen = requestText(m.mainRequests().at(-1)!.body);
    expect(seen).toContain("ASKING-PROMPT");
    expect(seen).toContain("Should logins accept e-mail addresses?");
    expect(seen).toContain("Yes, ANSWER-E-MAIL-OK.");
  });

  it("mcp = false: that agent's CLI gets no Drover tools; another agent's does", async () => {
    const m = await suite.mock("anthropic", [{ kind: "text", text: "No tools needed." }]);
    const offered = (i: number) => ((m.mainRequests()[i]!.body as { tools: { name: string }[] }).tools ?? []).map((x) => x.name);
    const on = await claudeSession("claude-mcp-on", 3, "hi", m.url);
    expect((await waitEnded(suite.env, on.id)).status).toBe("completed");
    expect(offered(0)).toContain("mcp__drover__ask_human");
    const off = await claudeSession("claude-nomcp", 3, "hi", m.url, { mcp: false });
    const done = await waitEnded(suite.env, off.id);
    expect(done.status, done.message ?? "").toBe("completed");
    expect(offered(1).length).toBeGreaterThan(0);
    expect(offered(1).filter((n) => n.startsWith("mcp__drover__"))).toEqual([]);
  });
});
