// `drover import <repo>`: a storkit / story-kit / huskies tree into Drover (idempotent).
import path from "node:path";
import type { Command } from "commander";
import { importRepo } from "@drover/db/services/storkit-io/import-repo";
import { repoAccess } from "@drover/repo";
import { print, withDb } from "../with-db.ts";

export function register(program: Command): void {
  program
    .command("import")
    .description("import a storkit, story-kit or huskies tree (.storkit/, .story_kit/, .huskies/): project, agents and stories")
    .argument("<repo>", "path of the git repository holding the tree")
    .option("--name <name>", "project name when the repository is new to Drover (default: folder name)")
    .option("--json", "print the report as JSON")
    .action((repo: string, opts: { name?: string; json?: boolean }) =>
      withDb(async (db, actor) => {
        // A path typed in a shell means the shell's folder; the service itself takes absolute paths only.
        const r = await importRepo(db, path.resolve(repo), repoAccess, actor, { name: opts.name });
        print(!!opts.json, r, () => {
          const lines = [
            `${r.projectCreated ? "Created" : "Updated"} project ${r.projectName} (#${r.projectId})`,
            `Agents: ${r.agents.added.length} added, ${r.agents.updated.length} updated, ${r.agents.disabled.length} disabled`,
            `Stories: ${r.stories.created.length} created, ${r.stories.updated.length} updated, ${r.stories.unchanged.length} unchanged`,
          ];
          if (r.configError) lines.push(`Config error (last good config kept): ${r.configError}`);
          for (const w of r.warnings) lines.push(`Warning: ${w}`);
          for (const s of r.skipped) lines.push(`Skipped ${s.file}: ${s.reason}`);
          return lines.join("\n");
        });
      }),
    );
}
