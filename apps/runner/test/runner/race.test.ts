// Four runner processes race for 200 pending sessions: each runs exactly once, an agent never has
// two sessions at once, and all complete.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { syncRosterText } from "@drover/db/testing/roster-text";
import { makeRepo, seedProject, spawnRunner, waitFor, type RunnerProcess } from "./helpers.ts";

const AGENTS = 50;
const PER_AGENT = 4; // 200 sessions
const STORIES = 10;

let t: TestDatabase;
const runners: RunnerProcess[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  if (process.env.DROVER_TEST_SHOW_RUNNERS) for (const x of [...runners]) if (x) console.log(`--- runner ${x.id}\n${x.output()}`);
  for (const r of runners) r.proc.kill("SIGKILL");
  await Promise.all(runners.map((r) => r.proc));
  await t?.drop();
});

it("4 runners × 200 sessions: every session runs exactly once, never two per agent, all complete", { timeout: 600_000 }, async () => {
  const repo = await makeRepo();
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "drover-race-")), "runs.log");
  // Opted out of the sandbox: the agents append to a file outside their worktrees, the record this test counts.
  const p = await seedProject(t.db, repo, { sandbox: false });
  const stories: { id: number }[] = [];
  for (let n = 1; n <= STORIES; n++)
    stories.push(await t.db.story.create({ data: { projectId: p.id, number: n, slug: `s${n}`, title: `S${n}`, stage: "current" } }));
  const agents: { id: number }[] = [];
  for (let i = 0; i < AGENTS; i++) {
    agents.push(
      await t.db.agent.create({
        data: {
          projectId: p.id,
          name: `a${i}`,
          stage: "other",
          runtime: "command",
          config: { name: `a${i}`, runtime: "command", command: ["sh", "-c", `echo "$DROVER_SESSION_ID $DROVER_AGENT $$" >> ${out}; echo ran`] },
        },
      }),
    );
  }
  await syncRosterText(t.db, p.id);
  const created = new Map<number, number>(); // agent id -> sessions created
  const feed = async () => {
    const active = new Set(
      (await t.db.agentSession.findMany({ where: { projectId: p.id, status: { in: ["pending", "running"] } }, select: { agentId: true } })).map(
        (s) => s.agentId,
      ),
    );
    for (const [i, a] of agents.entries()) {
      const n = created.get(a.id) ?? 0;
      if (n >= PER_AGENT || active.has(a.id)) continue;
      await t.db.agentSession.create({
        data: { projectId: p.id, storyId: stories[(i + n) % STORIES].id, agentId: a.id, stage: "other", runtime: "command", prompt: "go" },
      });
      created.set(a.id, n + 1);
    }
  };
  await feed();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-race-data-"));
  runners.push(
    ...(await Promise.all(
      [0, 1, 2, 3].map((i) =>
        spawnRunner(t.url, ["--capacity", "4", "--poll-ms", "300", "--heartbeat-secs", "1", "--lease-secs", "20"], path.join(dataDir, String(i))),
      ),
    )),
  );

  await waitFor(
    async () => {
      await feed();
      const done = await t.db.agentSession.count({ where: { projectId: p.id, status: { notIn: ["pending", "running"] } } });
      return done === AGENTS * PER_AGENT;
    },
    "all 200 sessions to end",
    540_000,
    500,
  ); // minutes only on a 2-core machine shared with a busy team

  const sessions = await t.db.agentSession.findMany({ where: { projectId: p.id }, orderBy: { id: "asc" } });
  expect(sessions).toHaveLength(200);
  expect(sessions.filter((s) => s.status !== "completed").map((s) => [s.id, s.status, s.reason, s.message])).toEqual([]);
  expect(sessions.every((s) => s.attempt === 1)).toBe(true);
  // exactly once, by the recorded runs
  const lines = fs.readFileSync(out, "utf8").trim().split("\n");
  const ids = lines.map((l) => Number(l.split(" ")[0]));
  expect(ids).toHaveLength(200);
  expect(new Set(ids).size).toBe(200);
  expect([...ids].sort((a, b) => a - b)).toEqual(sessions.map((s) => s.id));
  // never two at once per agent: process lifetimes of one agent's sessions do not overlap
  for (const a of agents) {
    const mine = sessions.filter((s) => s.agentId === a.id).sort((x, y) => x.processStartedAt!.getTime() - y.processStartedAt!.getTime());
    expect(mine).toHaveLength(PER_AGENT);
    for (let i = 1; i < mine.length; i++) expect(mine[i].processStartedAt!.getTime()).toBeGreaterThanOrEqual(mine[i - 1].finishedAt!.getTime());
  }
  // the work really was shared
  expect(new Set(sessions.map((s) => s.runnerId)).size).toBeGreaterThan(1);
  // all runners still healthy
  for (const r of runners) expect(r.proc.exitCode).toBeNull();
});
