// Issue #15: a real agent CLI session (Claude Code, Gemini, then Codex), run by the real runner against a
// mock model server, asks a person through Drover's ask_human MCP tool. The board and the story page
// show the question; the person answers in the browser, and the resumed session (the real CLI again,
// the same conversation) sends the answer to the model. (Named to run after board.spec.ts: the
// runner it needs starts the demo's autopilot, and board.spec.ts reads the demo as seeded.)
// Codex runs on a runner of its own, started and stopped by its test and scoped to its test's project
// (`drover runner --projects`): the shared runner has no codex, as onboarding.spec.ts (later) expects,
// and the scoped one neither claims other specs' or the demo's work nor counts for their projects.
import type { ChildProcess } from "node:child_process";
import type { RunnerCapabilities } from "@drover/core/runtimes/capabilities";
import type { Db } from "@drover/db";
import { addProject, createStory, startAgent } from "@drover/db/services/index";
import { testActor } from "@drover/db/testing/actors";
import { repoAccess } from "@drover/repo";
import { type MockApi, startMockModel } from "../../runner/test/mock-models/server.ts";
import { requestText } from "../../runner/test/mock-models/script.ts";
import { artifact, expect, startRunner, stopRunner, test, uid } from "./support/fixtures.ts";
import { repoWithRoster } from "./support/repo.ts";

const KEY = "mock-key-ask";

interface Case {
  runtime: "claude-code" | "gemini" | "codex";
  api: MockApi;
  model: string;
  /** The roster's env: the mock's address and key under the CLI's own variable names. */
  env: (url: string) => Record<string, string>;
  /** The CLI's own conversation id in a model request, where it sends one. */
  conversationOf?: (body: unknown) => string;
  /** Runs on a runner of its own with this CLI on its PATH (the shared runner lacks it). */
  ownRunnerCli?: "codex";
}

const cases: Case[] = [
  {
    runtime: "claude-code",
    api: "anthropic",
    model: "claude-sonnet-4-5",
    env: (url) => ({ ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: KEY }),
    // Claude Code names its session in every request's metadata.
    conversationOf: (body) => String((body as { metadata?: { user_id?: unknown } }).metadata?.user_id),
  },
  { runtime: "gemini", api: "gemini", model: "gemini-2.5-pro", env: (url) => ({ GOOGLE_GEMINI_BASE_URL: url, GEMINI_API_KEY: KEY }) },
  {
    runtime: "codex",
    api: "openai",
    // Codex offers MCP tools directly only to models without tool search (see mcp-codex-gemini.test.ts).
    model: "gpt-4.1",
    env: (url) => ({ OPENAI_BASE_URL: `${url}/v1`, OPENAI_API_KEY: KEY }),
    // Codex keys its prompt cache by its thread id, in every request.
    conversationOf: (body) => String((body as { prompt_cache_key?: unknown }).prompt_cache_key),
    ownRunnerCli: "codex",
  },
];

/** A roster with one agent of `c` that talks to the mock at `url` (stage "other": only the test starts it). */
const roster = (c: Case, url: string) => {
  const env = Object.entries({ ...c.env(url), DROVER_API_RETRIES: "0" }).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
  return [
    "[[agent]]",
    'name = "asker"',
    'stage = "other"',
    `runtime = "${c.runtime}"`,
    `model = "${c.model}"`,
    "inactivity_timeout_secs = 60",
    `env = { ${env.join(", ")} }`,
    "",
  ].join("\n");
};

/** Waits for a session to end; fails with its last log lines when it does not complete. */
async function completed(db: Db, id: number) {
  await expect
    .poll(async () => (await db.agentSession.findUniqueOrThrow({ where: { id } })).status, { timeout: 45_000, intervals: [250] })
    .toMatch(/^(completed|failed|stopped|interrupted)$/);
  const s = await db.agentSession.findUniqueOrThrow({ where: { id } });
  const log = (await db.sessionEvent.findMany({ where: { sessionId: id }, orderBy: { seq: "asc" } })).map((e) => `${e.kind}: ${e.text ?? ""}`);
  expect(s.status, `session ${id}: ${s.message ?? ""}\n${log.slice(-40).join("\n")}`).toBe("completed");
  return s;
}

/**
 * A runner of this test's own with `cli` on its PATH, serving only `projectId`, once its heartbeat
 * says it has found the CLI.
 */
async function startOwnRunner(db: Db, id: string, cli: "codex", projectId: number): Promise<ChildProcess> {
  const proc = await startRunner({ name: `runner-${cli}`, clis: [cli], args: ["--id", id, "--projects", String(projectId)] });
  const found = async () => {
    const r = await db.runner.findUnique({ where: { id } });
    return r && !r.stoppedAt ? Boolean((r.capabilities as unknown as RunnerCapabilities)[cli]?.path) : false;
  };
  await expect.poll(found, { timeout: 60_000, intervals: [500] }).toBe(true);
  expect((await db.runner.findUniqueOrThrow({ where: { id } })).projectIds).toEqual([projectId]);
  return proc;
}

/** The tools a model request's conversation (not its tool list) shows the model calling. */
function calledInHistory(body: unknown): string[] {
  const b = body as { messages?: unknown; contents?: unknown; input?: unknown };
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "tool_use" && typeof o.name === "string") names.push(o.name); // Anthropic
      const call = o.functionCall as { name?: unknown } | undefined; // Gemini
      if (typeof call?.name === "string") names.push(call.name);
      if (o.type === "function_call" && typeof o.name === "string") names.push(o.name); // OpenAI Responses
      Object.values(o).forEach(walk);
    }
  };
  walk(b.messages ?? b.contents ?? b.input);
  return names;
}

for (const c of cases) {
  test(`${c.runtime}: a real CLI asks through ask_human; the answer typed in the browser reaches the model in the resumed conversation`, async ({
    page,
    db,
    runner,
  }) => {
    expect(runner.pid, "the runner process did not start").toBeDefined();
    if (c.ownRunnerCli) test.setTimeout(180_000); // its own runner starts (and stops) within the test
    const ownId = `e2e-${c.ownRunnerCli}-${uid()}`;
    let own: ChildProcess | undefined;
    const question = `Should logins accept e-mail addresses? ${uid()}`;
    const answer = `Yes, e-mail first. ${uid()}`;
    const m = await startMockModel(
      c.api,
      [
        { kind: "tool", name: "ask_human", input: { question } },
        { kind: "text", text: "Waiting for the answer." },
        { kind: "text", text: "Thanks: e-mail it is." },
      ],
      { credential: KEY },
    );
    try {
      const repo = repoWithRoster(roster(c, m.url), "ask");
      const { project } = await addProject(db, { repoPath: repo, name: `ask-${c.runtime}-${uid()}` }, repoAccess, testActor);
      if (c.ownRunnerCli) own = await startOwnRunner(db, ownId, c.ownRunnerCli, project.id);
      const title = `Login ASKING-${uid()}`;
      const story = await createStory(db, { projectId: project.id, title }, testActor);
      const asking = await startAgent(db, { projectId: project.id, storyNumber: story.number, agentName: "asker", trigger: "user" }, testActor);

      // The CLI calls the tool: the board shows the story as needing input, with the question, live.
      await page.goto(`/?project=${project.id}`);
      await expect(page.getByTestId("card-needs-input").filter({ hasText: question })).toBeVisible({ timeout: 45_000 });
      if (c.runtime === "claude-code") await artifact(page, 15, "board-needs-input");

      await page.goto(`/projects/${project.id}/stories/${story.number}`);
      await expect(page.getByTestId("story-question-text")).toHaveText(question);
      await expect(page.getByTestId("story-question")).toContainText("Needs input from asker");
      await page.getByLabel("Your answer").fill(answer);
      if (c.runtime === "claude-code") await artifact(page, 15, "story-needs-input");
      // The asking session ends waiting (the answer resumes it, so it must have ended first).
      const asked = await completed(db, asking.id);
      expect(asked.runtimeSessionId, "the CLI reported no conversation id to resume").toBeTruthy();
      const before = m.mainRequests().length;
      await page.getByRole("button", { name: "Answer and resume" }).click();
      await expect(page).toHaveURL(/\/sessions\/\d+$/);

      const resumed = await db.agentSession.findFirstOrThrow({ where: { resumeOfId: asking.id } });
      expect(page.url()).toMatch(new RegExp(`/sessions/${resumed.id}$`));
      expect(resumed).toMatchObject({ trigger: "resume", resumeRuntimeSessionId: asked.runtimeSessionId });
      expect(resumed.prompt).toContain(`You asked a person: ${question}`);
      expect(resumed.prompt).toContain(answer);
      expect(resumed.prompt).not.toContain(title); // so the title below can only come from the earlier turns
      const done = await completed(db, resumed.id);
      await expect(page.getByTestId("result-box")).toContainText("Thanks: e-mail it is.");

      // The resumed CLI sent the answer to the model, in the same conversation: the earlier turns
      // (the story's prompt, the ask_human call) come with it.
      expect(done.runtimeSessionId).toBe(asked.runtimeSessionId);
      const sent = m.mainRequests().slice(before);
      expect(sent.length, "the resumed session sent the model no request").toBeGreaterThan(0);
      expect(
        sent.some((r) => requestText(r.body).includes(answer)),
        "no model request of the resumed session carries the answer",
      ).toBe(true);
      const last = sent.at(-1)!.body;
      expect(requestText(last).includes(title), "the resumed request lacks the first prompt").toBe(true);
      expect(calledInHistory(last).some((n) => n.endsWith("ask_human"))).toBe(true);
      const conversationOf = c.conversationOf;
      if (conversationOf) for (const r of sent) expect(conversationOf(r.body)).toContain(asked.runtimeSessionId!);
      expect(await db.story.findUniqueOrThrow({ where: { id: story.id } })).toMatchObject({ blocked: false, inputQuestion: null });
      if (own) expect(done.runnerId, "the session ran on another runner than the test's own").toBe(ownId);
    } finally {
      // It ran only this test's sessions (scoped), all ended by now: stopping it interrupts nothing.
      if (own) await stopRunner(own);
      await m.close();
    }
    if (own) {
      // The demo's autopilot and the other specs kept queueing sessions meanwhile: it took none of them.
      const served = (await db.runner.findUniqueOrThrow({ where: { id: ownId } })).projectIds;
      expect(await db.agentSession.count({ where: { runnerId: ownId, projectId: { notIn: served } } })).toBe(0);
    }
  });
}
