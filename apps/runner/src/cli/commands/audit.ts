// `drover audit`: the audit trail (who changed what), filtered, as CSV or JSON lines on stdout.
import type { Command } from "commander";
import { DomainError } from "@drover/core/errors";
import { AUDIT_FORMATS, exportAudit, findProject, type AuditFilter, type AuditFormat } from "@drover/db/services/index";
import { withDb } from "../with-db.ts";

interface Opts {
  format: string;
  person?: string;
  project?: string;
  actorKind?: string;
  kind?: string;
  since?: string;
  until?: string;
}

function dateArg(flag: string, raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const d = new Date(raw);
  if (Number.isNaN(d.getTime()))
    throw new DomainError("BAD_REQUEST", `${flag} "${raw}" is not a date: use an ISO date like 2026-12-01 or 2026-12-01T09:00:00Z`);
  return d;
}

export function register(program: Command): void {
  program
    .command("audit")
    .description("print the audit trail (who made each change), oldest first, as CSV or JSON lines")
    .option("--format <format>", "csv or jsonl", "jsonl")
    .option("--person <who>", "a user id, or an actor's id or name (root@host, auto-assign, Ana)")
    .option("--project <project>", "project name or id")
    .option("--actor-kind <kind>", "user, token, cli, runner, agent or automation")
    .option("--kind <kind>", "what happened: story_moved, review_approved, agent_started ...")
    .option("--since <date>", "from this time on (ISO date)")
    .option("--until <date>", "before this time (ISO date)")
    .action((opts: Opts) =>
      withDb(async (db) => {
        if (!AUDIT_FORMATS.includes(opts.format as AuditFormat)) {
          throw new DomainError("BAD_REQUEST", `--format "${opts.format}" is not supported: use ${AUDIT_FORMATS.join(" or ")}`);
        }
        const filter: AuditFilter = {
          person: opts.person,
          projectId: opts.project === undefined ? undefined : (await findProject(db, opts.project)).id,
          actorKind: opts.actorKind as AuditFilter["actorKind"],
          kind: opts.kind,
          since: dateArg("--since", opts.since),
          until: dateArg("--until", opts.until),
        };
        for await (const chunk of exportAudit(db, opts.format as AuditFormat, filter)) {
          if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once("drain", r));
        }
      }),
    );
}
