// Drover's MCP server through the SDK's own client over real HTTP, against a real database: the
// tools change the board as the services do, signed by the agent; a token works only for its own
// running session and project; bad input is a tool error the agent reads, and the server lives on.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@drover/db";
import { createStory, getStory } from "@drover/db/services/stories";
import { testActor } from "@drover/db/testing/actors";
import { projectWithRoster } from "@drover/db/testing/project-fixtures";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { type McpHttpServer, SessionTokens, startMcpHttpServer, TOOL_NAMES } from "../src/index.ts";
import { callTool as call, connectMcp, resultText as textOf } from "../testing/client.ts";

let t: TestDatabase;
let db: Db;
let server: McpHttpServer;
const tokens = new SessionTokens();

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  server = await startMcpHttpServer({ db, tokens });
});
afterAll(async () => {
  await server?.close();
  await t?.drop();
});

async function runningSession(projectId: number, storyNumber: number, agentName = "coder-1", status: "running" | "completed" = "running") {
  const story = await getStory(db, projectId, storyNumber);
  const agent = await db.agent.findFirstOrThrow({ where: { projectId, name: agentName } });
  return db.agentSession.create({
    data: { projectId, storyId: story.id, agentId: agent.id, stage: agent.stage, runtime: agent.runtime, status, worktreePath: "/nowhere" },
  });
}

const connect = (token: string): Promise<Client> => connectMcp(server.url, token);

async function fixture() {
  const project = await projectWithRoster(db);
  const story = await createStory(
    db,
    { projectId: project.id, title: "Login page", description: "As a user I log in.", criteria: [{ text: "form" }, { text: "error message" }] },
    testActor,
  );
  const session = await runningSession(project.id, story.number);
  const token = tokens.issue(session.id);
  return { project, story, session, token, client: await connect(token) };
}

describe("Drover's MCP tools", () => {
  it("lists every tool; reads the story and its todos; ticks a criterion live, signed by the agent", async () => {
    const { project, story, session, client } = await fixture();
    const names = (await client.listTools()).tools.map((x) => x.name).sort();
    expect(names).toEqual([...TOOL_NAMES].sort());
    expect(textOf(await call(client, "get_story"))).toContain("Login page");
    expect(textOf(await call(client, "get_story_todos"))).toBe("0. [ ] form\n1. [ ] error message");

    const r = await call(client, "check_criterion", { index: 1 });
    expect(r.isError).toBeFalsy();
    expect((await getStory(db, project.id, story.number)).body).toContain("- [x] error message");
    const ev = await db.projectEvent.findFirstOrThrow({ where: { storyId: story.id, kind: "criterion_ticked" } });
    expect(ev).toMatchObject({ actorKind: "agent", actorId: `coder-1#${session.id}`, actorName: "agent coder-1" });
    expect(textOf(await call(client, "list_stories", { stage: "backlog" }))).toContain(`#${story.number} [backlog] Login page`);
  });

  it("create_story lands in backlog numbered and formatted exactly like a story made in the UI", async () => {
    const { project, client } = await fixture();
    const r = await call(client, "create_story", {
      title: "Rate limit logins",
      user_story: "As an admin I want brute force stopped.",
      acceptance_criteria: ["5 tries a minute", "a clear message"],
      depends_on: [1],
      kind: "bug",
    });
    expect(r.isError).toBeFalsy();
    const made = await db.story.findFirstOrThrow({ where: { projectId: project.id, title: "Rate limit logins" } });
    const viaUi = await createStory(
      db,
      {
        projectId: project.id,
        title: "Rate limit logins",
        kind: "bug",
        description: "As an admin I want brute force stopped.",
        criteria: [{ text: "5 tries a minute" }, { text: "a clear message" }],
        dependsOn: [1],
      },
      testActor,
    );
    expect(made).toMatchObject({ number: 2, stage: "backlog", kind: "bug", dependsOn: [1], slug: viaUi.slug });
    expect(made.body).toBe(viaUi.body.replace(`Bug ${viaUi.number}:`, `Bug ${made.number}:`));
    expect(textOf(r)).toBe("Created story 2 in backlog: Rate limit logins");
  });

  it("add_comment shows on the story and in the feed, attributed to the agent", async () => {
    const { story, session, client } = await fixture();
    await call(client, "add_comment", { text: "The form is done; the error text comes next." });
    const ev = await db.projectEvent.findFirstOrThrow({ where: { storyId: story.id, kind: "comment" } });
    expect(ev).toMatchObject({ message: "The form is done; the error text comes next.", agentName: "coder-1", sessionId: session.id, actorKind: "agent" });
  });

  it("report_blocked blocks the story and leaves the reporting session running; report_merge_failure is the mergemaster's", async () => {
    const { project, story, session, client } = await fixture();
    const r = await call(client, "report_merge_failure", { reason: "conflict" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/for the mergemaster; this session is a coder session/);
    await call(client, "report_blocked", { reason: "The API key for the mail service is missing" });
    const s = await getStory(db, project.id, story.number);
    expect(s).toMatchObject({ blocked: true, blockedReason: "The API key for the mail service is missing", mergeFailure: null });
    expect((await db.agentSession.findUniqueOrThrow({ where: { id: session.id } })).stopRequestedAt).toBeNull();
  });

  it("ask_human blocks the story as needing input, with the question and the asking session", async () => {
    const { project, story, session, client } = await fixture();
    const r = await call(client, "ask_human", { question: "Should the login accept e-mail addresses or only user names?" });
    expect(textOf(r)).toMatch(/Finish your turn now/);
    const s = await getStory(db, project.id, story.number);
    expect(s).toMatchObject({
      blocked: true,
      inputQuestion: "Should the login accept e-mail addresses or only user names?",
      inputSessionId: session.id,
    });
    const ev = await db.projectEvent.findFirstOrThrow({ where: { storyId: story.id, kind: "story_needs_input" } });
    expect(ev).toMatchObject({
      message: `Story ${story.number} needs input: Should the login accept e-mail addresses or only user names?`,
      actorKind: "agent",
    });
  });
});

describe("scope", () => {
  it("a token of an ended session, a revoked token or another project is refused, and nothing changes", async () => {
    const a = await fixture();
    const b = await fixture(); // another project's running session
    const before = (await getStory(db, a.project.id, a.story.number)).body;

    // Another project, named in a read: refused with a clear error.
    const other = await call(b.client, "get_story", { project: a.project.name, story_number: a.story.number });
    expect(other.isError).toBe(true);
    expect(textOf(other)).toMatch(`cannot read or change project "${a.project.name}"`);
    expect((await call(b.client, "list_stories", { project: a.project.name })).isError).toBe(true);
    // B's own writes reach B's story only, whatever number it names.
    await call(b.client, "check_criterion", { index: 0 });
    expect((await getStory(db, a.project.id, a.story.number)).body).toBe(before);
    expect((await getStory(db, b.project.id, b.story.number)).body).toContain("- [x] form");

    // A session that ended: its token is refused at the door.
    await db.agentSession.update({ where: { id: a.session.id }, data: { status: "completed" } });
    await expect(call(a.client, "check_criterion", { index: 0 })).rejects.toThrow(/is completed: its Drover tools work only while it runs/);
    // A revoked token (the runner revokes it when the agent exits), and a made-up one.
    tokens.revoke(b.session.id);
    await expect(call(b.client, "add_comment", { text: "late" })).rejects.toThrow(/Unknown or revoked Drover token/);
    await expect(connect("not-a-token")).rejects.toThrow(/Unknown or revoked Drover token/);

    expect((await getStory(db, a.project.id, a.story.number)).body).toBe(before);
    expect(await db.projectEvent.count({ where: { storyId: { in: [a.story.id, b.story.id] }, kind: "comment" } })).toBe(0);
  });
});

describe("bad input", () => {
  it("missing fields, an index out of range and a 1 MB comment are tool errors; the server answers on", async () => {
    const { project, story, client } = await fixture();
    const missing = await call(client, "check_criterion", {});
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/index/);
    const range = await call(client, "check_criterion", { index: 7 });
    expect(range.isError).toBe(true);
    expect(textOf(range)).toBe("No acceptance criterion #7: the story has 2 (numbered from 0)");
    const huge = await call(client, "add_comment", { text: "x".repeat(1024 * 1024) });
    expect(huge.isError).toBe(true);
    expect(textOf(huge)).toMatch(/Comment is too long: at most 10000 characters/);
    const noTitle = await call(client, "create_story", { user_story: "no title" });
    expect(noTitle.isError).toBe(true);
    expect(textOf(noTitle)).toMatch(/title/);
    const emptyTitle = await call(client, "create_story", { title: "  " });
    expect(textOf(emptyTitle)).toBe("Title must not be empty");
    // Nothing written, and the server still serves.
    expect(await db.projectEvent.count({ where: { storyId: story.id, kind: { in: ["comment", "criterion_ticked"] } } })).toBe(0);
    expect(await db.story.count({ where: { projectId: project.id } })).toBe(1);
    expect(textOf(await call(client, "get_story_todos"))).toBe("0. [ ] form\n1. [ ] error message");
  });
});
