// Exports a project (`drover export <project> <dir>`): writes its config and stories as a storkit tree
// (<dir>/.storkit/project.toml, <dir>/.storkit/work/<stage>/NNN_<kind>_<slug>.md).
import fs from "node:fs";
import path from "node:path";
import { badRequest } from "@drover/core/errors";
import { planExport } from "@drover/core/storkit/tree";
import type { Db } from "../../client.ts";
import { findProject, projectConfigOf, storyFieldsOf } from "../index.ts";

export async function exportProject(db: Db, ref: string | number, dir: string, opts: { force?: boolean } = {}) {
  const project = await findProject(db, ref);
  const root = path.join(path.resolve(dir), ".storkit");
  if (fs.existsSync(path.join(root, "work")) && !opts.force) {
    throw badRequest(`${root}/work already exists; export into an empty folder, or pass --force to overwrite`);
  }
  const stories = await db.story.findMany({ where: { projectId: project.id }, orderBy: { number: "asc" } });
  const files = planExport(projectConfigOf(project), stories.map(storyFieldsOf));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    if (!abs.startsWith(root + path.sep)) throw badRequest(`Refusing to write outside ${root}: ${rel}`);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return { projectName: project.name, root, files: Object.keys(files).length, stories: stories.length };
}
