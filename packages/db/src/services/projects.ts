// Projects: adding a repository (validated), finding one by id or name, reloading its config.
import path from "node:path";
import { z } from "zod";
import type { Actor } from "@drover/core/audit/actor";
import { badRequest, conflict, notFound } from "@drover/core/errors";
import type { Db } from "../client.ts";
import type { Prisma, Project } from "../generated/prisma/client.ts";
import { syncAgents, type SyncResult } from "./config-sync.ts";
import { logProjectEvent } from "./events.ts";
import { redactProject } from "./redact.ts";
import { checkSecretRefs } from "../secrets/roster-check.ts";
import type { RepoAccess } from "./repo-access.ts";
import { inTx, uniqueViolation, type DbOrTx } from "./tx.ts";
import { textSchema, parseInput } from "./validate.ts";

const projectNameSchema = textSchema
  .trim()
  .min(1, { error: "Project name must not be empty" })
  .max(100, { error: "Project name must be at most 100 characters" })
  .regex(/^[^/\\]+$/, { error: "Project name must not contain slashes" });

const addInput = z.object({
  repoPath: textSchema.min(1, { error: "Give the path of a git repository" }),
  name: projectNameSchema.optional(),
});

export async function findProject(db: DbOrTx, ref: number | string): Promise<Project> {
  const asId = typeof ref === "number" ? ref : /^\d+$/.test(ref) ? Number(ref) : undefined;
  const p =
    (asId !== undefined ? await db.project.findUnique({ where: { id: asId } }) : null) ??
    (typeof ref === "string" ? await db.project.findUnique({ where: { name: ref } }) : null);
  if (!p) throw notFound(`No project ${typeof ref === "number" ? `#${ref}` : `"${ref}"`}`);
  return p;
}

/** Every project, as the web and CLI may see it (env values masked). */
export async function listProjects(db: DbOrTx) {
  return (await db.project.findMany({ orderBy: { id: "asc" } })).map(redactProject);
}

export interface AddProjectResult {
  project: Project;
  warnings: string[];
  sync: SyncResult;
}

/** `io` reads the repository (@drover/repo's repoAccess): this service does no git or file work itself. */
export async function addProject(db: Db, input: { repoPath: string; name?: string }, io: RepoAccess, actor: Actor): Promise<AddProjectResult> {
  const { repoPath, name } = parseInput(addInput, input);
  const repo = await io.validateRepo(repoPath);
  const read = io.readRepoConfig(repo.root);
  // A project is added only with a roster that parses: there is no last good config to fall back on yet.
  if (!read.result.ok) {
    throw badRequest(`The project was not added: its roster does not parse. ${read.result.error}`, { file: read.file });
  }
  // A new project has no secrets yet: a roster referring to one is added, and loads once they are set.
  const cfg = await checkSecretRefs(db, undefined, read);
  const good = cfg.result.ok ? cfg.result.parsed : null;
  const baseBranch = good?.config.base_branch ?? repo.headBranch;
  if (!baseBranch) throw badRequest(`${repoPath} has a detached HEAD; check out a branch or set base_branch in .drover/project.toml`);
  const projectName = name ?? parseInput(projectNameSchema, path.basename(repo.root));
  const warnings = [...(good?.warnings ?? [])];
  if (!(await io.branchExists(repo.root, baseBranch))) {
    warnings.push(`base branch ${baseBranch} does not exist in ${repo.root} yet; agents cannot start until it has a commit`);
  }
  try {
    const res = await inTx(db, async (tx) => {
      const project = await tx.project.create({
        data: {
          name: projectName,
          repoPath: repo.root,
          baseBranch,
          configText: cfg.text,
          rosterText: cfg.result.ok ? cfg.text : null,
          configError: cfg.result.ok ? null : cfg.result.error,
          config: good ? (good.config as unknown as Prisma.InputJsonValue) : undefined,
          configLoadedAt: new Date(),
        },
      });
      const sync = await syncAgents(tx, project.id, good?.config.agent ?? []);
      await logProjectEvent(tx, { projectId: project.id, kind: "project_added", message: `Project ${project.name} added from ${repo.root}`, actor });
      return { project, sync };
    });
    return { ...res, warnings };
  } catch (err) {
    const v = uniqueViolation(err);
    if (v === "projects_name_key") throw conflict(`A project named "${projectName}" already exists; choose another name`);
    if (v === "projects_repo_path_key") throw conflict(`The repository ${repo.root} is already a project`);
    throw err;
  }
}

export interface ReloadResult {
  project: Project;
  ok: boolean;
  error: string | null;
  warnings: string[];
  sync: SyncResult;
}

/** Re-reads the config file. A broken file records configError and keeps the last good config. */
export async function reloadProjectConfig(db: Db, projectId: number, io: Pick<RepoAccess, "readRepoConfig">, actor: Actor): Promise<ReloadResult> {
  const current = await findProject(db, projectId);
  const cfg = await checkSecretRefs(db, projectId, io.readRepoConfig(current.repoPath));
  const res = await inTx(db, async (tx) => {
    // Concurrent reloads of one project serialize here instead of racing on agent rows.
    await tx.$queryRaw`SELECT id FROM projects WHERE id = ${projectId} FOR UPDATE`;
    if (!cfg.result.ok) {
      const project = await tx.project.update({ where: { id: projectId }, data: { configText: cfg.text, configError: cfg.result.error } });
      await logProjectEvent(tx, { projectId, kind: "config_error", message: `Config not loaded: ${cfg.result.error}`, actor });
      return { project, ok: false, error: cfg.result.error, warnings: [], sync: { added: [], updated: [], disabled: [] } };
    }
    const { config, warnings } = cfg.result.parsed;
    const project = await tx.project.update({
      where: { id: projectId },
      data: {
        configText: cfg.text,
        rosterText: cfg.text,
        configError: null,
        config: config as unknown as Prisma.InputJsonValue,
        configLoadedAt: new Date(),
        ...(config.base_branch ? { baseBranch: config.base_branch } : {}),
      },
    });
    const sync = await syncAgents(tx, projectId, config.agent);
    const changes = [...sync.added.map((n) => `+${n}`), ...sync.updated.map((n) => `~${n}`), ...sync.disabled.map((n) => `-${n}`)];
    // Only real changes reach the activity feed (importing twice must change nothing).
    if (changes.length || current.configError || current.configText !== cfg.text) {
      await logProjectEvent(tx, {
        projectId,
        kind: "config_reloaded",
        message: `Config reloaded${changes.length ? ` (agents ${changes.join(" ")})` : ""}`,
        actor,
      });
    }
    return { project, ok: true, error: null, warnings, sync };
  });
  return res;
}
