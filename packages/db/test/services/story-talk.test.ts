// An agent's question and a person's answer: the question blocks the story as "needs input"
// without stopping the asking session; the answer unblocks it and resumes that session's
// conversation with the answer as context, through startAgent's rules (refused as a whole).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerQuestion, askHuman, createStory, startAgent, unblockStory } from "../../src/services/index.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { projectWithRoster, rejects } from "@drover/db/testing/project-fixtures";
import { testActor } from "../../testing/actors.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const agentActor = (sessionId: number) => ({ kind: "agent" as const, agentName: "coder-1", sessionId });

async function asked() {
  const project = await projectWithRoster(t.db);
  const story = await createStory(t.db, { projectId: project.id, title: "Login", stage: "current" }, testActor);
  const ref = { projectId: project.id, storyNumber: story.number };
  const first = await startAgent(t.db, { ...ref, agentName: "coder-1", trigger: "user" }, testActor);
  await t.db.agentSession.update({ where: { id: first.id }, data: { status: "running", runtimeSessionId: "conv-1" } });
  await askHuman(t.db, { ...ref, question: "E-mail or user name?", sessionId: first.id }, agentActor(first.id));
  return { project, story, ref, first };
}

describe("ask_human and the answer", () => {
  it("the question blocks the story, keeps the asking session running; the answer resumes its conversation with the answer", async () => {
    const { story, ref, first } = await asked();
    const blocked = await t.db.story.findUniqueOrThrow({ where: { id: story.id } });
    expect(blocked).toMatchObject({
      blocked: true,
      blockedReason: "Needs input: E-mail or user name?",
      inputQuestion: "E-mail or user name?",
      inputSessionId: first.id,
    });
    expect((await t.db.agentSession.findUniqueOrThrow({ where: { id: first.id } })).stopRequestedAt).toBeNull();

    // While the agent is still finishing its turn, an answer cannot start it: refused, the question stays.
    await rejects(answerQuestion(t.db, { ...ref, answer: "E-mail" }, testActor), "CONFLICT", /busy|already/);
    expect((await t.db.story.findUniqueOrThrow({ where: { id: story.id } })).inputQuestion).toBe("E-mail or user name?");

    await t.db.agentSession.update({ where: { id: first.id }, data: { status: "completed", finishedAt: new Date() } });
    const resumed = await answerQuestion(t.db, { ...ref, answer: "  Both: e-mail first.  " }, testActor);
    expect(resumed).toMatchObject({ resumeOfId: first.id, resumeRuntimeSessionId: "conv-1", trigger: "resume", status: "pending" });
    expect(resumed.prompt).toContain("You asked a person: E-mail or user name?\n\nTest User answered:\n\nBoth: e-mail first.");
    expect(await t.db.story.findUniqueOrThrow({ where: { id: story.id } })).toMatchObject({ blocked: false, inputQuestion: null, inputSessionId: null });
    const ev = await t.db.projectEvent.findFirstOrThrow({ where: { storyId: story.id, kind: "question_answered" } });
    expect(ev).toMatchObject({ actorKind: "user", message: 'Answered "E-mail or user name?": Both: e-mail first.' });
  });

  it("an empty answer, a story with no question, or a second question while one is open are refused with what to fix", async () => {
    const { ref, first } = await asked();
    await rejects(answerQuestion(t.db, { ...ref, answer: "   " }, testActor), "BAD_REQUEST", /Answer must not be empty/);
    await rejects(
      askHuman(t.db, { ...ref, question: "Another?", sessionId: first.id }, agentActor(first.id)),
      "PRECONDITION_FAILED",
      /already waits for an answer/,
    );
    // Unblocking by hand drops the question with the block.
    await unblockStory(t.db, ref, testActor);
    await rejects(answerQuestion(t.db, { ...ref, answer: "late" }, testActor), "PRECONDITION_FAILED", /has no open question/);
  });
});
