// Projects: adding a repository (validated), finding one by id or name, reloading its config.
import fs from "node:fs";
import path from "node:path";
import { simpleGit } from "simple-git";
import { z } from "zod";
import { defaultProjectConfig, type ProjectConfig } from "@drover/core/config/index";
import { badRequest, conflict, notFound } from "@drover/core/errors";
import type { Db } from "../client.ts";
import type { Prisma, Project } from "../generated/prisma/client.ts";
import { syncAgents, type SyncResult } from "./config-sync.ts";
import { logProjectEvent } from "./events.ts";
import { redactProject } from "./redact.ts";
import { readRepoConfig } from "./repo-config.ts";
import { inTx, uniqueViolation, type DbOrTx } from "./tx.ts";
import { textSchema, parseInput } from "./validate.ts";

export const projectNameSchema = textSchema
  .trim()
  .min(1, { error: "Project name must not be empty" })
  .max(100, { error: "Project name must be at most 100 characters" })
  .regex(/^[^/\\]+$/, { error: "Project name must not contain slashes" });

const addInput = z.object({
  repoPath: textSchema.min(1, { error: "Give the path of a git repository" }),
  name: projectNameSchema.optional(),
});

/** The project's last good config, or the defaults when none ever parsed. */
export function projectConfigOf(project: Pick<Project, "config">): ProjectConfig {
  return (project.config as unknown as ProjectConfig | null) ?? defaultProjectConfig();
}

/**
 * The one rule for a repository path given to Drover (project add, storkit import): absolute, an
 * existing git repository's root folder. A server process has no meaningful working directory, so a
 * relative path is refused rather than resolved; the CLI resolves one against the user's shell first.
 */
export async function validateRepo(repoPath: string): Promise<{ root: string; headBranch: string | null }> {
  if (!path.isAbsolute(repoPath)) throw badRequest(`Repository path must be absolute (got "${repoPath}")`);
  let real: string;
  try {
    real = fs.realpathSync(repoPath);
  } catch {
    throw badRequest(`Repository path ${repoPath} does not exist`);
  }
  if (!fs.statSync(real).isDirectory()) throw badRequest(`Repository path ${repoPath} is not a folder`);
  const git = simpleGit(real);
  let top: string;
  try {
    top = (await git.revparse(["--show-toplevel"])).trim();
  } catch {
    throw badRequest(`${repoPath} is not a git repository; run \`git init\` there or give the repository's root folder`);
  }
  if (fs.realpathSync(top) !== real) throw badRequest(`${repoPath} is inside the git repository ${top}; add the repository's root folder`);
  let headBranch: string | null = null;
  try {
    headBranch = (await git.raw(["symbolic-ref", "--short", "-q", "HEAD"])).trim() || null;
  } catch {
    headBranch = null; // detached HEAD
  }
  return { root: real, headBranch };
}

async function branchExists(repo: string, branch: string): Promise<boolean> {
  try {
    // `branch --list` prints nothing for a missing branch (no exit-code guessing).
    return (await simpleGit(repo).raw(["branch", "--list", "--", branch])).trim() !== "";
  } catch {
    return false;
  }
}

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

export async function addProject(db: Db, input: { repoPath: string; name?: string }): Promise<AddProjectResult> {
  const { repoPath, name } = parseInput(addInput, input);
  const repo = await validateRepo(repoPath);
  const cfg = readRepoConfig(repo.root);
  const good = cfg.result.ok ? cfg.result.parsed : null;
  const baseBranch = good?.config.base_branch ?? repo.headBranch;
  if (!baseBranch) throw badRequest(`${repoPath} has a detached HEAD; check out a branch or set base_branch in .drover/project.toml`);
  const projectName = name ?? parseInput(projectNameSchema, path.basename(repo.root));
  const warnings = [...(good?.warnings ?? [])];
  if (!(await branchExists(repo.root, baseBranch))) {
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
      await logProjectEvent(tx, { projectId: project.id, kind: "project_added", message: `Project ${project.name} added from ${repo.root}` });
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
export async function reloadProjectConfig(db: Db, projectId: number): Promise<ReloadResult> {
  const current = await findProject(db, projectId);
  const cfg = readRepoConfig(current.repoPath);
  const res = await inTx(db, async (tx) => {
    // Concurrent reloads of one project serialize here instead of racing on agent rows.
    await tx.$queryRaw`SELECT id FROM projects WHERE id = ${projectId} FOR UPDATE`;
    if (!cfg.result.ok) {
      const project = await tx.project.update({ where: { id: projectId }, data: { configText: cfg.text, configError: cfg.result.error } });
      await logProjectEvent(tx, { projectId, kind: "config_error", message: `Config not loaded: ${cfg.result.error}` });
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
      await logProjectEvent(tx, { projectId, kind: "config_reloaded", message: `Config reloaded${changes.length ? ` (agents ${changes.join(" ")})` : ""}` });
    }
    return { project, ok: true, error: null, warnings, sync };
  });
  return res;
}
