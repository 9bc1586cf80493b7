// Exports a project (`drover export <project> <dir>`): the files of its storkit tree (config and
// stories). @drover/repo's writeStorkitTree writes them.
import { projectConfigFrom, storedConfigFiles } from "@drover/core/config/stored-config";
import { planExport } from "@drover/core/storkit/tree";
import type { Db } from "../../client.ts";
import { findProject, storyFieldsOf } from "../index.ts";

export async function exportPlan(db: Db, ref: string | number) {
  const project = await findProject(db, ref);
  const stories = await db.story.findMany({ where: { projectId: project.id }, orderBy: { number: "asc" } });
  // rosterText is the last roster text that parsed, as read from the repository's files.
  const [projectFile, agentsFile] = project.rosterText !== null ? storedConfigFiles(project.rosterText) : [];
  const roster = projectFile ? { projectToml: projectFile.text, agentsToml: agentsFile?.text } : null;
  const files = planExport(
    projectConfigFrom(project.config),
    stories.map((s) => ({ ...storyFieldsOf(s), storkitName: s.storkitName })),
    roster,
  );
  return { projectName: project.name, files, stories: stories.length };
}
