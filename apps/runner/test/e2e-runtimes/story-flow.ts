// A story driven from current to done by a real agent CLI through the real runner with the
// pipeline's hooks: a repository with a roster, an in-process runner whose environment the test
// chooses (where credentials come from), and waits on the board.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { pino } from "pino";
import { addProject, reloadProjectConfig } from "@drover/db/services/projects";
import { createStory } from "@drover/db/services/stories";
import { readSecretKey, setSecret } from "@drover/db/secrets/index";
import type { TestDatabase } from "@drover/db/testing/test-database";
import { repoAccess } from "@drover/repo";
import { makeRepo } from "@drover/repo/testing/make-repo";
import { createAutomationHooks } from "../../src/automation/index.ts";
import { startRunner } from "../../src/runner/start-runner.ts";
import { ensureClis } from "./helpers.ts";
import { testActor } from "@drover/db/testing/actors";

/** The runner's own variables a test keeps (never the developer's credentials). */
export function baseRunnerEnv(): NodeJS.ProcessEnv {
  ensureClis();
  return { PATH: process.env.PATH, LANG: process.env.LANG, HOME: fs.mkdtempSync(path.join(os.tmpdir(), "drover-runner-home-")) };
}

export interface StoryRun {
  repo: string;
  projectId: number;
  storyId: number;
  dataDir: string;
  git: (...args: string[]) => string;
}

/**
 * Adds a project with `roster` (and `files`), stores `secrets` (with the runner's DROVER_SECRET_KEY),
 * starts a runner with `runnerEnv`, creates one story in current, waits until it is done (or throws
 * with the board and the sessions' messages), then stops the runner.
 */
export async function runStoryToDone(
  t: TestDatabase,
  o: { roster: string; runnerEnv: NodeJS.ProcessEnv; secrets?: Record<string, string>; files?: Record<string, string>; timeoutMs?: number },
): Promise<StoryRun> {
  const repo = makeRepo({ config: o.roster, files: { "README.md": "# e2e\n", ...o.files } });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: "pipe" }).trim();
  const { project } = await addProject(t.db, { repoPath: repo }, repoAccess, testActor);
  if (o.secrets) {
    const key = readSecretKey({ env: o.runnerEnv });
    if (!key) throw new Error("secrets need DROVER_SECRET_KEY in the runner's environment");
    for (const [name, value] of Object.entries(o.secrets)) await setSecret(t.db, key, { projectId: project.id, name, value }, testActor);
    const r = await reloadProjectConfig(t.db, project.id, repoAccess, testActor);
    if (!r.ok) throw new Error(`roster did not load: ${r.error}`);
  }
  const cfg = await t.db.project.findUniqueOrThrow({ where: { id: project.id } });
  if (cfg.configError) throw new Error(`roster did not load: ${cfg.configError}`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-e2e-story-data-"));
  const logger = pino({ level: "warn" });
  const hooks = createAutomationHooks({ databaseUrl: t.url, logger, backstopMs: 1000 });
  const runner = await startRunner({
    databaseUrl: t.url,
    hooks,
    logger,
    env: o.runnerEnv,
    dataDir,
    pollMs: 200,
    heartbeatSecs: 1,
    leaseSecs: 20,
    graceSecs: 2,
  });
  try {
    const story = await createStory(
      t.db,
      {
        projectId: project.id,
        title: "Say hello",
        body: "# Say hello\n\nAdd hello.txt and commit it.\n",
        stage: "current",
      },
      testActor,
    );
    await hooks.pass();
    const end = Date.now() + (o.timeoutMs ?? 180_000);
    for (;;) {
      const s = await t.db.story.findUniqueOrThrow({ where: { id: story.id } });
      if (s.stage === "done") break;
      if (s.blocked || Date.now() > end) {
        const sessions = await t.db.agentSession.findMany({ where: { storyId: story.id }, orderBy: { id: "asc" } });
        const tools = await t.db.sessionEvent.findMany({
          where: { sessionId: { in: sessions.map((x) => x.id) }, kind: { in: ["tool_result", "stderr", "gate"] } },
        });
        throw new Error(
          `story ${s.blocked ? `blocked (${s.blockedReason})` : `still in ${s.stage}`} ${s.mergeFailure ?? ""}; sessions: ${JSON.stringify(sessions.map((x) => [x.id, x.stage, x.status, x.reason, x.message]))}; tool output: ${tools.map((e) => e.text ?? JSON.stringify(e.payload)).join("\n")}`,
        );
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    return { repo, projectId: project.id, storyId: story.id, dataDir, git };
  } finally {
    await runner.stop();
    await hooks.close();
  }
}

/** The roster of one coder agent of `runtime`, with `extra` TOML lines, QA by the server, no gates unless given. */
export function coderRoster(runtime: string, model: string, env: Record<string, string>, extra = ""): string {
  const envToml = Object.entries(env)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join(", ");
  return `default_qa = "server"\nmax_retries = 1\n\n[[agent]]\nname = "coder"\nstage = "coder"\nruntime = "${runtime}"\nmodel = "${model}"\ninactivity_timeout_secs = 90\nenv = { ${envToml} }\n${extra}`;
}
