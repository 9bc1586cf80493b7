// `drover export <project> <dir>`: the project as a storkit tree under <dir>/.storkit.
import type { Command } from "commander";
import { exportPlan } from "@drover/db/services/storkit-io/export-plan";
import { writeStorkitTree } from "@drover/repo/write-tree";
import { print, withDb } from "../with-db.ts";

export function register(program: Command): void {
  program
    .command("export")
    .description("write a project's config and stories as a storkit tree (<dir>/.storkit/)")
    .argument("<project>", "project name or id")
    .argument("<dir>", "folder to write into")
    .option("--force", "overwrite an existing .storkit/work")
    .option("--json", "print the result as JSON")
    .action((project: string, dir: string, opts: { force?: boolean; json?: boolean }) =>
      withDb(async (db) => {
        const plan = await exportPlan(db, project);
        const { root } = writeStorkitTree(dir, plan.files, { force: opts.force });
        const r = { projectName: plan.projectName, root, files: Object.keys(plan.files).length, stories: plan.stories };
        print(!!opts.json, r, () => `Exported ${r.stories} stories of ${r.projectName} to ${r.root}`);
      }),
    );
}
