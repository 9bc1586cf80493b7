// Exports a project (`drover export <project> <dir>`): the files of its storkit tree (config and
// stories). @drover/repo's writeStorkitTree writes them.
import { planExport } from "@drover/core/storkit/tree";
import type { Db } from "../../client.ts";
import { projectConfigFrom } from "@drover/core/config/stored-config";
import { findProject, storyFieldsOf } from "../index.ts";

export async function exportPlan(db: Db, ref: string | number) {
  const project = await findProject(db, ref);
  const stories = await db.story.findMany({ where: { projectId: project.id }, orderBy: { number: "asc" } });
  return { projectName: project.name, files: planExport(projectConfigFrom(project.config), stories.map(storyFieldsOf)), stories: stories.length };
}
