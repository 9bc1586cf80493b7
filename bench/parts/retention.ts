// Retention: the database size of a history of finished sessions (realistic event mix: the runtime's
// raw JSON lines, assistant text, thinking, tool calls with inputs, tool results with output,
// usage, a result) before and after event_retention_days compacted them, per 1,000 sessions.
// Generated with SQL (quick: 100 sessions, full: 1,000), compacted by the service the runner uses.
import path from "node:path";
import { createDb } from "../../packages/db/src/client.ts";
import { compactProject } from "../../packages/db/src/services/session-compaction.ts";
import type { Part } from "../lib/part.ts";
import { sql } from "../lib/postgres.ts";
import { inSlices } from "../lib/slices.ts";

const EVENTS_PER_SESSION = 400;

/** Words drawn at random, so text compresses like prose rather than like a repeated string (a constant: no quotes). */
const WORDS =
  "the a to of and in file test function return const import export error build pass fail change update fix add remove story branch commit merge run check value type string number array object user config path line module";

/** Sessions, their events (every fourth-ish a tool call with its result), all finished 40 days ago. */
async function seed(url: string, repoRoot: string, sessions: number): Promise<void> {
  await sql(url, `INSERT INTO projects (name, repo_path, config) VALUES ('p1', $1, '{"event_retention_days": 30}')`, [path.join(repoRoot, "p1")]);
  await sql(url, `INSERT INTO agents (project_id, name, stage, runtime, config, updated_at) VALUES (1, 'a1', 'coder', 'claude-code', '{}', now())`);
  await sql(
    url,
    `INSERT INTO stories (project_id, number, slug, title, stage, position, updated_at)
     SELECT 1, n, 's' || n, 'Story ' || n, 'archived', n, now() FROM generate_series(1, ${sessions}) n`,
  );
  await sql(
    url,
    `INSERT INTO agent_sessions (project_id, story_id, agent_id, stage, status, reason, runtime, attempt, created_at, started_at, finished_at, updated_at)
     SELECT 1, id, 1, 'coder', 'completed', 'exit_0', 'claude-code', 1, now() - interval '40 days', now() - interval '40 days', now() - interval '40 days', now()
     FROM stories`,
  );
  // One statement per core over slices of the sessions (the random prose is most of the work).
  await inSlices(
    url,
    "agent_sessions",
    (lo, hi) => `SET session_replication_role = replica;
     WITH w AS (SELECT string_to_array('${WORDS}', ' ') AS a)
     INSERT INTO session_events (session_id, seq, at, kind, text, payload, raw)
     SELECT s.id, e, s.started_at + interval '1 second' * e, k.kind,
       CASE WHEN k.kind IN ('text', 'thinking') THEN x.prose END,
       CASE k.kind
         WHEN 'tool_call' THEN jsonb_build_object('id', 't' || e, 'name', 'Bash', 'input', jsonb_build_object('command', 'pnpm vitest run ' || x.prose))
         WHEN 'tool_result' THEN jsonb_build_object('id', 't' || (e - 1), 'ok', e % 50 <> 2, 'output', repeat(x.prose || E'\\n', 6))
         WHEN 'usage' THEN jsonb_build_object('inputTokens', e * 10, 'outputTokens', e)
         WHEN 'result' THEN jsonb_build_object('isError', false, 'turns', 20)
       END,
       jsonb_build_object('type', k.kind, 'session_id', 'rt-' || s.id, 'uuid', md5(s.id || '-' || e), 'message', x.prose)::text
     FROM agent_sessions s, generate_series(0, ${EVENTS_PER_SESSION - 1}) e, w,
       LATERAL (SELECT CASE WHEN e = ${EVENTS_PER_SESSION - 1} THEN 'result' WHEN e % 5 = 0 THEN 'text' WHEN e % 5 = 1 THEN 'tool_call'
                            WHEN e % 5 = 2 THEN 'tool_result' WHEN e % 5 = 3 THEN 'thinking' ELSE 'usage' END AS kind) k,
       LATERAL (SELECT string_agg(word, ' ') AS prose
         FROM (SELECT w.a[1 + floor(random() * array_length(w.a, 1))::int] AS word FROM generate_series(1, 20 + (e + s.id) % 30)) ws) x
     WHERE s.id BETWEEN ${lo} AND ${hi}`,
  );
}

/** What session history takes on disk: the sessions, their events and stored raw logs (with indexes and TOAST). */
async function historyBytes(url: string): Promise<number> {
  const [r] = await sql<{ bytes: string }>(
    url,
    `SELECT pg_total_relation_size('agent_sessions') + pg_total_relation_size('session_events') + pg_total_relation_size('session_raw_logs') AS bytes`,
  );
  return Number(r!.bytes);
}

export const retention: Part = {
  name: "retention",
  async run({ quick, pg, report, tmp }) {
    const sessions = quick ? 100 : 1000;
    const url = await pg.database("bench_retention");
    const db = createDb(url, { max: 2 });
    try {
      await seed(url, path.join(tmp, "repos"), sessions);
      // VACUUM FULL both times, so the sizes are the rows' footprint, not free space awaiting reuse.
      await sql(url, "VACUUM FULL ANALYZE agent_sessions, session_events, session_raw_logs");
      const before = await historyBytes(url);
      const t0 = performance.now();
      const r = await compactProject(db, 1);
      const secs = (performance.now() - t0) / 1000;
      await sql(url, "VACUUM FULL ANALYZE agent_sessions, session_events, session_raw_logs");
      const after = await historyBytes(url);
      const [blobs] = await sql<{ bytes: string }>(url, `SELECT pg_total_relation_size('session_raw_logs') AS bytes`);
      const kept = r.compacted.reduce((a, c) => a + c.eventsKept, 0);
      const per1000 = (bytes: number) => (bytes / 2 ** 20) * (1000 / sessions);
      console.log(
        `  ${sessions} sessions × ${EVENTS_PER_SESSION} events: ${(before / 2 ** 20).toFixed(1)} MB before, ${(after / 2 ** 20).toFixed(1)} MB after compaction, of which ${(Number(blobs!.bytes) / 2 ** 20).toFixed(1)} MB gzip raw logs ` +
          `(${r.compacted.length} sessions in ${secs.toFixed(1)} s, ${kept} of ${sessions * EVENTS_PER_SESSION} events kept)`,
      );
      report.add({
        part: "retention",
        name: "history size per 1,000 sessions, full events",
        unit: "MB",
        drover: per1000(before),
        note: `${EVENTS_PER_SESSION} events each`,
      });
      report.add({
        part: "retention",
        name: "history size per 1,000 sessions, compacted",
        unit: "MB",
        drover: per1000(after),
        anchorName: "full events",
        anchor: per1000(before),
        note: `${kept} events kept; full raw log stored gzip`,
      });
      report.add({ part: "retention", name: "compaction time per session", unit: "ms", drover: (secs * 1000) / Math.max(1, r.compacted.length) });
    } finally {
      await db.$disconnect();
      await pg.drop("bench_retention").catch(() => {});
    }
  },
};
