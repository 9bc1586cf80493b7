// `drover compact [project] [--older-than-days N] [--dry-run]`: compacts finished sessions' event
// logs now (the runner does it in its housekeeping pass too) and says what it did.
import type { Command } from "commander";
import { DomainError } from "@drover/core/errors";
import { compactProject, findProject, listProjects, type ProjectCompaction } from "@drover/db/services/index";
import { withDb } from "../with-db.ts";

interface Opts {
  olderThanDays?: string;
  dryRun?: boolean;
}

const size = (n: number) => (n < 1_048_576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1_048_576).toFixed(2)} MB`);

/** One line per project for what compaction did (or would do). */
export function describeCompaction(name: string, r: ProjectCompaction, dryRun: boolean): string {
  if (r.days === 0 && !r.sessionIds.length) return `${name}: event_retention_days = 0, events are kept forever; nothing compacted`;
  const age = `finished more than ${r.days} day${r.days === 1 ? "" : "s"} ago`;
  if (!r.sessionIds.length) return `${name}: no uncompacted sessions ${age}`;
  if (dryRun) return `${name}: would compact ${r.sessionIds.length} session(s) ${age}: ${r.sessionIds.map((id) => `#${id}`).join(", ")}`;
  const sum = (f: (c: ProjectCompaction["compacted"][number]) => number) => r.compacted.reduce((a, c) => a + f(c), 0);
  return (
    `${name}: compacted ${r.compacted.length} session(s) ${age}: ${sum((c) => c.eventsBefore)} events → ${sum((c) => c.eventsKept)} kept; ` +
    `raw logs ${size(sum((c) => c.rawBytes))} stored as ${size(sum((c) => c.gzipBytes))} gzip`
  );
}

function daysArg(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new DomainError("BAD_REQUEST", `--older-than-days "${raw}" must be a whole number of days (0 or more)`);
  return Number(raw);
}

export function register(program: Command): void {
  program
    .command("compact [project]")
    .description("compact the event logs of finished sessions older than event_retention_days (all projects when none is named)")
    .option("--older-than-days <n>", "use this age instead of the roster's event_retention_days (0: every finished session)")
    .option("--dry-run", "only list the sessions that would be compacted")
    .action((ref: string | undefined, opts: Opts) =>
      withDb(async (db) => {
        const olderThanDays = daysArg(opts.olderThanDays);
        const projects = ref ? [await findProject(db, ref)] : await listProjects(db);
        for (const p of projects) {
          const r = await compactProject(db, p.id, { olderThanDays, dryRun: !!opts.dryRun });
          process.stdout.write(`${describeCompaction(p.name, r, !!opts.dryRun)}\n`);
        }
      }),
    );
}
