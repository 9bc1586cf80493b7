// Env values of a roster (API keys, tokens) never leave the server: every procedure that returns a
// project, roster or agent shows the env names only, in the parsed config and in the raw TOML text.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {} from "@drover/db/testing/global-setup"; // types of inject("dbAdminUrl")
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { appRouter } from "../src/root.ts";
import { createCallerFactory } from "../src/trpc.ts";
import { testContext } from "../testing/context.ts";
import { startTestRunner, type TestRunner } from "../testing/runner-process.ts";

// One secret per way TOML can spell an env table: inline, [agent.env] and dotted keys.
const SECRETS = { OPENAI_API_KEY: "sk-live-123", GH_TOKEN: "ghp-table-456", ANTHROPIC_API_KEY: "sk-ant-dotted-789" };
const ROSTER = `
[[agent]]
name = "coder-1"
stage = "coder"
runtime = "command"
command = ["true"]
env = { OPENAI_API_KEY = "${SECRETS.OPENAI_API_KEY}" }

[[agent]]
name = "coder-2"
stage = "coder"
runtime = "command"
command = ["true"]
[agent.env]
GH_TOKEN = """${SECRETS.GH_TOKEN}"""

[[agent]]
name = "qa-1"
stage = "qa"
runtime = "command"
command = ["true"]
env.ANTHROPIC_API_KEY = '${SECRETS.ANTHROPIC_API_KEY}'
`;
// A file that does not parse still holds a secret: the settings page shows its text.
const BROKEN = `[[agent]]\nname = "coder-1"\nstage = "coder"\n[agent.env]\nOPENAI_API_KEY = "${SECRETS.OPENAI_API_KEY}"\nmax_turns = = 3\n`;

let t: TestDatabase;
const dirs: string[] = [];

function repo(config: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-secrets-")));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, ".drover"));
  fs.writeFileSync(path.join(dir, ".drover", "project.toml"), config);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "init");
  return dir;
}

// projects.add and reload are done by a runner that has the repository.
let runner: TestRunner;
beforeAll(async () => {
  t = await createTestDatabase();
  runner = await startTestRunner(t.db, t.url);
});
afterAll(async () => {
  await runner?.stop();
  await t?.drop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));

describe("roster env values", () => {
  it("appear in no response of any procedure that returns a project, roster or agent; the names do", async () => {
    const api = createCallerFactory(appRouter)(testContext(t.db));
    const responses: Record<string, unknown> = {};
    const added = await api.projects.add({ repoPath: repo(ROSTER), name: "secrets" });
    responses["projects.add"] = added;
    const projectId = added.project.id;
    // A roster that does not parse is refused on add (its error must not carry the secret either) ...
    const refused = await api.projects.add({ repoPath: repo(BROKEN), name: "refused" }).then(
      () => "added",
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/not added: its roster does not parse/);
    responses["projects.add (broken file)"] = refused;
    // ... and a file that breaks after the project was added keeps its text for the settings page.
    const brokenRepo = repo(ROSTER);
    const broken = await api.projects.add({ repoPath: brokenRepo, name: "broken" });
    fs.writeFileSync(path.join(brokenRepo, ".drover", "project.toml"), BROKEN);

    await api.stories.create({ projectId, title: "Story" });
    const session = await api.agents.start({ projectId, storyNumber: 1, agentName: "coder-1" });
    const agents = await api.views.agents({ projectId });
    const storyId = (await api.views.board({ projectId })).stories[0]!.id;

    responses["projects.list"] = await api.projects.list();
    responses["projects.get"] = await api.projects.get({ projectId });
    responses["projects.get (broken file)"] = await api.projects.get({ projectId: broken.project.id });
    responses["projects.reload"] = await api.projects.reload({ projectId });
    responses["projects.reload (broken file)"] = await api.projects.reload({ projectId: broken.project.id });
    responses["agents.roster"] = await api.agents.roster({ projectId });
    responses["views.projects"] = await api.views.projects();
    responses["views.board"] = await api.views.board({ projectId });
    responses["views.agents"] = agents;
    for (const a of agents) responses[`views.agent ${a.name}`] = await api.views.agent({ agentId: a.id });
    responses["views.settings"] = await api.views.settings({ projectId });
    responses["views.settings (broken file)"] = await api.views.settings({ projectId: broken.project.id });
    responses["views.story"] = await api.views.story({ storyId });
    responses["views.session"] = await api.views.session({ sessionId: session.id });
    responses["views.activity"] = await api.views.activity({ projectId });
    responses["stories.list"] = await api.stories.list({ projectId });
    responses["sessions.list"] = await api.sessions.list({ projectId });
    responses["sessions.get"] = await api.sessions.get({ sessionId: session.id });

    for (const [name, res] of Object.entries(responses)) {
      const text = json(res);
      for (const secret of Object.values(SECRETS)) expect(text, `${name} shows ${secret}`).not.toContain(secret);
    }
    // The names stay, in the parsed config and in the file's text.
    for (const name of ["projects.list", "projects.get", "projects.add", "projects.reload", "views.settings"]) {
      for (const key of Object.keys(SECRETS)) expect(json(responses[name]), `${name} names ${key}`).toContain(key);
    }
    for (const name of ["agents.roster", "views.agents"]) expect(json(responses[name])).toContain("OPENAI_API_KEY");
    expect(json(responses["views.agent coder-2"])).toContain("GH_TOKEN");
    const settings = responses["views.settings"] as { configText: string };
    // Masking keeps the file's lines, so config errors still point at the right line.
    expect(settings.configText.split("\n").length).toBe(ROSTER.split("\n").length);
    expect(settings.configText).toContain('env = { OPENAI_API_KEY = "(hidden)" }');
    const brokenText = (responses["views.settings (broken file)"] as { configText: string }).configText;
    expect(brokenText).toContain("OPENAI_API_KEY =");
    expect(brokenText.split("\n").length).toBe(BROKEN.split("\n").length);
  });
});
