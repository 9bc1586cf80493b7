// Imports a storkit tree (`drover import <repo>` and the web import): creates or updates the project,
// its agents and its stories. Idempotent; reports what it skipped and why.
import path from "node:path";
import type { Actor } from "@drover/core/audit/actor";
import { planImport } from "@drover/core/storkit/tree";
import type { Db } from "../../client.ts";
import { addProject, importStories, reloadProjectConfig, type ImportStoriesResult } from "../index.ts";
import type { RepoAccess } from "../repo-access.ts";

export interface ImportReport {
  projectId: number;
  projectName: string;
  projectCreated: boolean;
  configError: string | null;
  warnings: string[];
  agents: { added: string[]; updated: string[]; disabled: string[] };
  stories: ImportStoriesResult;
  skipped: Array<{ file: string; reason: string }>;
}

/** `io` reads the repository (@drover/repo's repoAccess). */
export async function importRepo(db: Db, repoPath: string, io: RepoAccess, actor: Actor, opts: { name?: string } = {}): Promise<ImportReport> {
  // Same rule as project add (absolute, a repository's root): never the web process's working directory.
  const { root: real } = await io.validateRepo(repoPath);
  const tree = io.readStorkitTree(real);
  let project = await db.project.findUnique({ where: { repoPath: real } });
  let created = false;
  let warnings: string[];
  let agents: ImportReport["agents"];
  let configError: string | null = null;
  if (!project) {
    const added = await addProject(db, { repoPath: real, name: opts.name }, io, actor);
    project = added.project;
    created = true;
    warnings = added.warnings;
    agents = added.sync;
    configError = project.configError;
  } else {
    const r = await reloadProjectConfig(db, project.id, io, actor);
    warnings = r.warnings;
    agents = r.sync;
    configError = r.error;
  }
  const plan = planImport(tree.files);
  const stories = await importStories(db, project.id, plan.stories, actor);
  return {
    projectId: project.id,
    projectName: project.name,
    projectCreated: created,
    configError,
    warnings,
    agents,
    stories,
    skipped: [...tree.skipped, ...plan.skipped].map((s) => ({ file: path.join(path.relative(real, tree.root), s.file), reason: s.reason })),
  };
}
