// Growth: the web's pages on a database with a month of a busy team's history (10,000 stories,
// 100,000 sessions, 10 million events; quick: 100× smaller), generated with SQL, against the same
// pages on an empty database (the anchor). Both databases hold the same visible content: project 1
// with 100 open stories and 20 agents, story 1 with 10 sessions of today, a session with 2,000
// events, 250 activity entries of today; only the history differs. Pages are the web's own tRPC
// procedures called in-process (server time: no browser, so no first paint).
import path from "node:path";
import { createDb, type Db } from "../../packages/db/src/client.ts";
import { dailySpend, projectCosts } from "../../packages/db/src/services/costs.ts";
import { appRouter } from "../../packages/api/src/root.ts";
import { createCallerFactory } from "../../packages/api/src/trpc.ts";
import { testContext } from "../../packages/api/testing/context.ts";
import type { Part } from "../lib/part.ts";
import { sql } from "../lib/postgres.ts";
import { inSlices } from "../lib/slices.ts";
import { median } from "../lib/stats.ts";

const PROJECTS = 10;

/** Projects and agents (ids 1..PROJECTS); project 1 is the one whose pages are measured. */
async function seedProjects(url: string, repoRoot: string): Promise<void> {
  await sql(url, `INSERT INTO projects (name, repo_path, config) SELECT 'p' || g, $1 || '/p' || g, '{}' FROM generate_series(1, ${PROJECTS}) g`, [repoRoot]);
  await sql(
    url,
    `INSERT INTO agents (project_id, name, stage, runtime, config, updated_at)
    SELECT p, 'a' || g, (CASE WHEN g % 3 = 0 THEN 'qa' ELSE 'coder' END)::"AgentStage", 'claude-code', '{}', now()
    FROM generate_series(1, ${PROJECTS}) p, generate_series(1, 20) g`,
  );
}

/** Seconds since t0, for the seeding steps' log line. */
const since = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

/** History: archived stories (the board shows the same cards in both databases), finished sessions of the last 30 days (not today), their events and activity. */
async function seedHistory(url: string, scale: number): Promise<string> {
  const steps: string[] = [];
  let t = performance.now();
  const step = (name: string) => {
    steps.push(`${name} ${since(t)} s`);
    t = performance.now();
  };
  const storiesPerProject = Math.round(1000 * scale);
  const sessionsPerStory = 10;
  const eventsPerSession = 100;
  // Project 1's open stories are numbers 1..100 (seeded later); its history starts at 101.
  await sql(
    url,
    `INSERT INTO stories (project_id, number, slug, title, stage, position, updated_at)
    SELECT p, n, 's' || n, 'Story ' || n, 'archived', n, now()
    FROM generate_series(1, ${PROJECTS}) p, generate_series(1, ${storiesPerProject}) n0, LATERAL (SELECT n0 + (CASE WHEN p = 1 THEN 100 ELSE 0 END) AS n) x`,
  );
  await sql(
    url,
    `SET session_replication_role = replica; INSERT INTO agent_sessions (project_id, story_id, agent_id, stage, status, reason, runtime, model, attempt,
      turns, input_tokens, output_tokens, cost_usd, created_at, started_at, finished_at, updated_at)
    SELECT st.project_id, st.id, ag.id, 'coder', 'completed', 'exit_0', 'claude-code', 'claude-sonnet-4-5', 1,
      5, 1000 + k, 200 + k, 0.01 * (k % 50), t, t, t + interval '3 minutes', t
    FROM stories st, generate_series(1, ${sessionsPerStory}) k,
      LATERAL (SELECT id FROM agents WHERE project_id = st.project_id ORDER BY id OFFSET (k % 20) LIMIT 1) ag,
      LATERAL (SELECT date_trunc('day', now()) - interval '1 day' * (1 + (st.id + k) % 30) + interval '1 second' * ((st.id * 7 + k) % 80000) AS t) tt`,
  );
  step("stories and sessions");
  // The events, the bulk of it: one statement per core over slices of the sessions, each event's
  // kind and payload computed once per sequence number rather than once per row. Loaded without
  // per-row foreign-key checks (the rows reference what was just inserted).
  const slices = await inSlices(
    url,
    "agent_sessions",
    (lo, hi) => `SET session_replication_role = replica;
      INSERT INTO session_events (session_id, seq, at, kind, text, payload)
      WITH ev AS MATERIALIZED (
        SELECT e, interval '1 second' * e AS offs,
          CASE WHEN e % 4 = 1 THEN 'tool_call' WHEN e % 4 = 2 THEN 'tool_result' ELSE 'text' END AS kind,
          CASE WHEN e % 4 = 1 THEN NULL ELSE 'Event ' || e || ' of session ' END AS text,
          CASE WHEN e % 4 = 1 THEN jsonb_build_object('id', 't' || e, 'name', 'Bash', 'input', jsonb_build_object('command', 'ls'))
               WHEN e % 4 = 2 THEN jsonb_build_object('id', 't' || (e - 1), 'ok', e % 13 <> 0, 'output', 'ok')
               ELSE jsonb_build_object('text', 'Event ' || e) END AS payload
        FROM generate_series(1, ${eventsPerSession}) e)
      SELECT s.id, ev.e, s.started_at + ev.offs, ev.kind,
        CASE WHEN ev.text IS NOT NULL THEN ev.text || s.id || ': lorem ipsum dolor sit amet' END, ev.payload
      FROM agent_sessions s CROSS JOIN ev
      WHERE s.id BETWEEN ${lo} AND ${hi}`,
  );
  step(`events (${slices} at once)`);
  await sql(
    url,
    `SET session_replication_role = replica; INSERT INTO project_events (project_id, story_id, session_id, agent_name, kind, message, at, actor_kind, actor_id, actor_name)
    SELECT s.project_id, s.story_id, s.id, 'a1', k, 'a1 ' || k || ' on story ' || s.story_id, s.started_at, 'runner', 'r1', 'runner r1'
    FROM agent_sessions s, unnest(ARRAY['session_started', 'session_completed']) k`,
  );
  step("activity");
  return steps.join(", ");
}

/** What both databases show: project 1's open board, story 1's sessions of today, one long log, today's activity. */
async function seedVisible(url: string): Promise<{ storyId: number; sessionId: number }> {
  await sql(
    url,
    `INSERT INTO stories (project_id, number, slug, title, stage, position, updated_at)
    SELECT 1, n, 's' || n, 'Story ' || n, (ARRAY['backlog', 'current', 'qa', 'merge', 'done'])[1 + n % 5]::"Stage", n, now() FROM generate_series(1, 100) n`,
  );
  const [story] = await sql<{ id: number }>(url, `SELECT id FROM stories WHERE project_id = 1 AND number = 1`);
  await sql(
    url,
    `INSERT INTO agent_sessions (project_id, story_id, agent_id, stage, status, reason, runtime, model, attempt, turns, input_tokens, output_tokens, cost_usd, created_at, started_at, finished_at, updated_at)
    SELECT 1, $1, (SELECT min(id) FROM agents WHERE project_id = 1), 'coder', 'completed', 'exit_0', 'claude-code', 'claude-sonnet-4-5', 1, 5, 1000, 200, 0.1,
      now() - interval '1 minute' * k, now() - interval '1 minute' * k, now() - interval '1 minute' * k + interval '30 seconds', now()
    FROM generate_series(1, 10) k`,
    [story!.id],
  );
  const [session] = await sql<{ id: number }>(url, `SELECT max(id) AS id FROM agent_sessions WHERE story_id = $1`, [story!.id]);
  // Bulk load without per-row foreign-key checks (the rows reference what was just inserted).
  await sql(
    url,
    `INSERT INTO session_events (session_id, seq, at, kind, text, payload)
    SELECT $1, e, now(), CASE WHEN e % 97 = 0 THEN 'error' ELSE 'text' END, 'Event ' || e || ': lorem ipsum dolor sit amet', jsonb_build_object('text', 'Event ' || e)
    FROM generate_series(1, 2000) e`,
    [session!.id],
  );
  await sql(
    url,
    `INSERT INTO project_events (project_id, story_id, session_id, agent_name, kind, message, actor_kind, actor_id, actor_name)
    SELECT 1, $1, $2, 'a1', 'session_completed', 'a1 completed on story 1 (' || g || ')', 'runner', 'r1', 'runner r1' FROM generate_series(1, 250) g`,
    [story!.id, session!.id],
  );
  return { storyId: story!.id, sessionId: session!.id };
}

type Pages = Record<string, () => Promise<unknown>>;

function pages(db: Db, t: { storyId: number; sessionId: number }): Pages {
  const caller = createCallerFactory(appRouter)(testContext(db));
  return {
    "board (views.board)": () => caller.views.board({ projectId: 1 }),
    "story page (views.story)": () => caller.views.story({ storyId: t.storyId }),
    "session log page (session + index + tail 200)": async () => {
      await caller.views.session({ sessionId: t.sessionId });
      const idx = await caller.views.sessionIndex({ sessionId: t.sessionId });
      const last = idx.lastSeq ?? 0;
      await caller.views.sessionEvents({ sessionId: t.sessionId, fromSeq: Math.max(0, last - 199), toSeq: last });
    },
    "activity feed, 2 pages (views.activity)": async () => {
      const first = await caller.views.activity({ projectId: 1, limit: 100 });
      await caller.views.activity({ projectId: 1, limit: 100, cursor: first.at(-1)?.id ?? null });
    },
    "today's spend (dailySpend, budget check)": () => dailySpend(db, 1),
    "story cost roll-up (projectCosts for story 1)": () => projectCosts(db, { projectId: 1, storyId: t.storyId }),
  };
}

async function timePages(p: Pages, runs: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, fn] of Object.entries(p)) {
    await fn(); // warm: plans, pool, caches
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await fn();
      xs.push(performance.now() - t0);
    }
    out[name] = median(xs);
  }
  return out;
}

export const growth: Part = {
  name: "growth",
  async run({ quick, pg, report, tmp }) {
    const scale = quick ? 0.01 : 1;
    const emptyUrl = await pg.database("bench_growth_empty");
    const bigUrl = await pg.database("bench_growth_big");
    await seedProjects(emptyUrl, path.join(tmp, "repos"));
    const emptyT = await seedVisible(emptyUrl);
    await seedProjects(bigUrl, path.join(tmp, "repos"));
    const g0 = performance.now();
    const steps = await seedHistory(bigUrl, scale);
    const bigT = await seedVisible(bigUrl);
    const v0 = performance.now();
    await Promise.all([sql(bigUrl, "VACUUM ANALYZE"), sql(emptyUrl, "VACUUM ANALYZE")]);
    const [size] = await sql<{ stories: number; sessions: number; events: string; bytes: string }>(
      bigUrl,
      `SELECT (SELECT count(*)::int FROM stories) AS stories, (SELECT count(*)::int FROM agent_sessions) AS sessions,
              (SELECT count(*) FROM session_events) AS events, pg_database_size(current_database()) AS bytes`,
    );
    console.log(
      `  history: ${size!.stories} stories, ${size!.sessions} sessions, ${size!.events} events, ${(Number(size!.bytes) / 2 ** 20).toFixed(0)} MB, generated in ${since(g0)} s (${steps}, vacuum ${since(v0)} s)`,
    );

    const runs = quick ? 3 : 15;
    const emptyDb = createDb(emptyUrl, { max: 4 });
    const bigDb = createDb(bigUrl, { max: 4 });
    try {
      // Interleaved (empty, big, empty, big) so load on the machine hits both alike.
      const a1 = await timePages(pages(emptyDb, emptyT), runs);
      const b1 = await timePages(pages(bigDb, bigT), runs);
      const a2 = await timePages(pages(emptyDb, emptyT), runs);
      const b2 = await timePages(pages(bigDb, bigT), runs);
      for (const name of Object.keys(a1)) {
        const empty = Math.min(a1[name]!, a2[name]!);
        const big = Math.min(b1[name]!, b2[name]!);
        report.add({ part: "growth", name, unit: "ms", drover: big, anchorName: "same page, empty db", anchor: empty, goal: "≤ 2x" });
      }
      report.add({
        part: "growth",
        name: "database size with the history",
        unit: "MB",
        drover: Number(size!.bytes) / 2 ** 20,
        note: `${size!.sessions} sessions, ${size!.events} events`,
      });
    } finally {
      await emptyDb.$disconnect();
      await bigDb.$disconnect();
      await pg.drop("bench_growth_big").catch(() => {});
    }
  },
};
