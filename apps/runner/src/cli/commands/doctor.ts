// `drover doctor [path]`: checks, for a project on this host, everything an agent needs (git and its
// identity, repository and base branch, each roster agent's CLI, version and credential source, the
// sandbox's tools, gates, worktree root, database). Each line says OK or what to do; exit code 1 when something needed is missing.
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { doctorReport, type DoctorReport } from "@drover/core/doctor/report";
import { databaseHealth } from "@drover/db/database-health";
import { inspectProject } from "@drover/repo/repo-health";
import { secretKeyIds } from "@drover/db/secrets/key-ids";
import { detectCapabilities, detectSecretKeyId } from "../../runner/capabilities.ts";
import { hiddenPaths } from "../../sandbox/bubblewrap.ts";
import { missingSandboxTools } from "../../sandbox/host-tools.ts";
import { programMounts } from "../../sandbox/program-mounts.ts";
import { print, withDb } from "../with-db.ts";

const MARK = { ok: "OK  ", warn: "WARN", fail: "FAIL" } as const;

export function formatDoctor(r: DoctorReport): string {
  const width = Math.max(...r.lines.map((l) => l.check.length));
  const out = r.lines.map((l) => `${MARK[l.status]}  ${l.check.padEnd(width)}  ${l.text}`);
  out.push(r.failed ? "Something an agent needs is missing: fix the FAIL lines above." : "Everything an agent needs is here.");
  return out.join("\n");
}

export function register(program: Command): void {
  program
    .command("doctor")
    .description("check that agents can run for the project in <path> on this host; each line says OK or what to do")
    .argument("[path]", "the project's repository (default: the current folder)", ".")
    .option("--json", "print the report as JSON")
    .action((repo: string, opts: { json?: boolean }) =>
      withDb(async (db) => {
        const repoPath = realOr(path.resolve(repo));
        const project = await db.project.findFirst({ where: { repoPath }, select: { id: true, name: true, baseBranch: true } }).catch(() => null);
        const { repo: repoFacts, roster } = await inspectProject(repoPath, { baseBranch: project?.baseBranch });
        const report = doctorReport({
          repo: repoFacts,
          roster,
          sandboxMissing: missingSandboxTools(),
          hiddenCommandPaths: roster.ok ? hiddenCommandPaths(roster.agents) : {},
          hosts: [{ name: "this host", capabilities: await detectCapabilities(), secretKeyId: detectSecretKeyId() }],
          secretKeyIds: project ? await secretKeyIds(db, project.id) : new Map(),
          database: await databaseHealth(db),
          project: project ? { id: project.id, name: project.name } : null,
        });
        print(!!opts.json, report, () => formatDoctor(report));
        if (report.failed) process.exitCode = 1;
      }),
    );
}

/** Projects are stored by their real path: resolve links (a missing path is reported as such by the checks). */
function realOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** Host paths a command agent's argv names that its sandbox would not show (its worktree is not known here: none counts). */
function hiddenCommandPaths(agents: Array<{ name: string; command?: string[] }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const a of agents) {
    if (!a.command?.length) continue;
    const readOnly = programMounts([a.command[0]!, "node", "sh"], process.env.PATH ?? "");
    const hidden = hiddenPaths(a.command, { readOnly, readWrite: [], empty: [], files: [] });
    if (hidden.length) out[a.name] = hidden;
  }
  return out;
}
