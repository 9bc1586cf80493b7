// `drover project archive|unarchive|remove <project>`: archiving stops its agents and keeps its
// history; removal deletes its rows after you confirm with its name. The repository is never touched.
import readline from "node:readline/promises";
import type { Command } from "commander";
import { badRequest } from "@drover/core/errors";
import { addRemoteProject, archiveProject, findProject, removeProject, unarchiveProject } from "@drover/db/services/index";
import { print, withDb } from "../with-db.ts";

async function askName(name: string): Promise<string> {
  if (!process.stdin.isTTY) throw badRequest(`Removing project ${name} needs confirmation: pass --confirm ${JSON.stringify(name)}`);
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (
      await rl.question(`This deletes project ${name}'s stories, sessions and logs from Drover (the repository is not touched).\nType its name to confirm: `)
    ).trim();
  } finally {
    rl.close();
  }
}

export function register(program: Command): void {
  const project = program.command("project").description("add a project from a git remote; archive, unarchive or remove a project");
  project
    .command("add-remote")
    .description("add a project whose repository is a git remote; every runner clones it and reads its roster from the base branch")
    .argument("<url>", "https://, ssh://, git://, file:// or user@host:path (no credentials in it)")
    .requiredOption("--base <branch>", "the base branch stories merge into")
    .option("--name <name>", "the project's name (default: the repository's name)")
    .option("--remote-secret <secret>", "a project secret holding an HTTPS token for the remote (default: the runners' own git credentials or SSH agent)")
    .option("--json", "print the result as JSON")
    .action((url: string, opts: { base: string; name?: string; remoteSecret?: string; json?: boolean }) =>
      withDb(async (db, actor) => {
        const p = await addRemoteProject(db, { remoteUrl: url, baseBranch: opts.base, name: opts.name, remoteSecret: opts.remoteSecret }, actor);
        print(!!opts.json, { id: p.id, name: p.name, remoteUrl: p.remoteUrl, baseBranch: p.baseBranch }, () =>
          [`Added project ${p.name} from ${p.remoteUrl} (base ${p.baseBranch}).`, "A running runner fetches it and loads its roster within a minute."].join(
            "\n",
          ),
        );
      }),
    );
  project
    .command("archive")
    .description("stop the project's agents and take it off the board; its history stays")
    .argument("<project>", "project name or id")
    .option("--json", "print the result as JSON")
    .action((ref: string, opts: { json?: boolean }) =>
      withDb(async (db, actor) => {
        const r = await archiveProject(db, { project: ref }, actor);
        print(!!opts.json, { id: r.project.id, name: r.project.name, archivedAt: r.project.archivedAt, stoppedSessions: r.stoppedSessions }, () =>
          [`Archived project ${r.project.name}`, r.stoppedSessions.length ? `; stopped ${r.stoppedSessions.length} session(s)` : ""].join(""),
        );
      }),
    );
  project
    .command("unarchive")
    .description("put an archived project back on the board")
    .argument("<project>", "project name or id")
    .option("--json", "print the result as JSON")
    .action((ref: string, opts: { json?: boolean }) =>
      withDb(async (db, actor) => {
        const p = await unarchiveProject(db, { project: ref }, actor);
        print(!!opts.json, { id: p.id, name: p.name, archivedAt: p.archivedAt }, () => `Project ${p.name} is back on the board`);
      }),
    );
  project
    .command("remove")
    .description("delete a project from Drover (asks for its name; the repository is never touched)")
    .argument("<project>", "project name or id")
    .option("--confirm <name>", "the project's name, to confirm without a prompt")
    .option("--json", "print the result as JSON")
    .action((ref: string, opts: { confirm?: string; json?: boolean }) =>
      withDb(async (db, actor) => {
        const p = await findProject(db, ref);
        const confirm = opts.confirm ?? (await askName(p.name));
        const r = await removeProject(db, { project: p.id, confirm }, actor);
        print(!!opts.json, r, () => `Removed project ${r.name} (${r.stories} stories); ${r.repoPath} was not touched`);
      }),
    );
}
