// Projects from a git remote: added by URL and base branch (no repository on this host), their
// roster then read by a runner from the remote base and reported here with the commit it came from.
// From the web, a runner checks the remote first (askToAddRemote); an HTTPS token given for that
// check travels sealed and becomes the project's secret in the transaction that adds the project.
import { z } from "zod";
import type { Actor } from "@drover/core/audit/actor";
import { SECRET_NAME, SECRET_NAME_RULE } from "@drover/core/config/secret-refs";
import { parseRemoteUrl } from "@drover/core/config/remote-url";
import type { RepoConfig } from "@drover/core/config/index";
import { badRequest, conflict } from "@drover/core/errors";
import type { RequestAnswers } from "@drover/core/runner-requests/kinds";
import type { Db } from "../client.ts";
import type { Project } from "../generated/prisma/client.ts";
import type { SecretKey } from "../secrets/key.ts";
import { seal } from "../secrets/sealed.ts";
import { setSecret } from "../secrets/store.ts";
import { logProjectEvent } from "./events.ts";
import { reloadProjectConfig, type ReloadResult } from "./projects.ts";
import { askRunner } from "./runner-requests.ts";
import { inTx, uniqueViolation } from "./tx.ts";
import { parseInput, textSchema } from "./validate.ts";

// git's own rules (check-ref-format) in the shape a person gets wrong: spaces, "..", a leading "-".
const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)[A-Za-z0-9._/-]+(?<![./])$/;

const addRemoteInput = z.object({
  remoteUrl: textSchema.min(1, { error: "Give the git remote URL of the repository" }),
  baseBranch: textSchema.trim().regex(BRANCH, { error: "Base branch: a git branch name such as main (no spaces, no '..', not starting with '-')" }),
  name: textSchema
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^/\\]+$/, { error: "Project name must not contain slashes" })
    .optional(),
  remoteSecret: textSchema.regex(SECRET_NAME, { error: `Remote secret name: ${SECRET_NAME_RULE}` }).optional(),
});

const NEEDS_SECRET_NAME = "Give the name of the secret to keep the remote's token as (e.g. GIT_TOKEN): the project's fetches and pushes use it";

/**
 * Adds a project whose repository is a git remote. Nothing is read here: a runner fetches it and
 * reports its roster. A `remoteToken` is stored as the project's secret `remoteSecret`, in the same
 * transaction (both or neither).
 */
export async function addRemoteProject(
  db: Db,
  input: { remoteUrl: string; baseBranch: string; name?: string; remoteSecret?: string; remoteToken?: { key: SecretKey; value: string } },
  actor: Actor,
): Promise<Project> {
  const { remoteUrl, baseBranch, name, remoteSecret } = parseInput(addRemoteInput, input);
  if (input.remoteToken && !remoteSecret) throw badRequest(NEEDS_SECRET_NAME);
  const remote = parseRemoteUrl(remoteUrl);
  const projectName = name ?? remote.name;
  try {
    return await inTx(db, async (tx) => {
      const project = await tx.project.create({
        data: { name: projectName, repoPath: remote.url, remoteUrl: remote.url, remoteSecret: remoteSecret ?? null, baseBranch },
      });
      await logProjectEvent(tx, {
        projectId: project.id,
        kind: "project_added",
        message: `Project ${project.name} added from the remote ${remote.url} (base ${baseBranch}); a runner reads its roster on its next pass`,
        actor,
      });
      if (input.remoteToken && remoteSecret)
        await setSecret(tx, input.remoteToken.key, { projectId: project.id, name: remoteSecret, value: input.remoteToken.value }, actor);
      return project;
    });
  } catch (err) {
    const v = uniqueViolation(err);
    if (v === "projects_name_key") throw conflict(`A project named "${projectName}" already exists; choose another name with --name`);
    if (v === "projects_repo_path_key" || v === "projects_remote_url_key") throw conflict(`The remote ${remote.url} is already a project`);
    throw err;
  }
}

/** What a remote's token is sealed for on its way to the runner: adding this URL, nothing else. */
export const remoteTokenPurpose = (url: string) => `project.addRemote:${url}`;

/**
 * The web's way to add a remote project: the input checked here (the URL rule first, so a URL
 * carrying credentials is never stored in a request), then a runner checks the remote and adds it.
 * A token is sealed with `key()` for the runner: the request row never holds it in clear.
 */
export async function askToAddRemote(
  db: Db,
  input: { remoteUrl: string; baseBranch: string; name?: string; remoteSecret?: string; remoteToken?: string },
  actor: Actor,
  opts: { key: () => SecretKey; timeoutMs?: number },
): Promise<RequestAnswers["project.addRemote"]> {
  const { remoteToken, ...rest } = input;
  const url = parseRemoteUrl(input.remoteUrl).url;
  const checked = parseInput(addRemoteInput, { ...rest, remoteUrl: url });
  if (remoteToken !== undefined && !remoteToken.trim()) throw badRequest("The remote's token is empty: paste the token, or leave the field out");
  if (remoteToken && !checked.remoteSecret) throw badRequest(NEEDS_SECRET_NAME);
  const payload = { ...checked, ...(remoteToken ? { remoteToken: seal(opts.key(), remoteTokenPurpose(url), remoteToken.trim()) } : {}) };
  return askRunner(db, { kind: "project.addRemote", payload, repoPath: url }, actor, { timeoutMs: opts.timeoutMs ?? 60_000 });
}

/**
 * A runner read the roster from the remote base at `commit`: it is loaded as a reload would load it
 * (a broken one keeps the last good config), and its error names the commit it came from.
 */
export async function reportRemoteConfig(db: Db, projectId: number, at: { commit: string; read: RepoConfig }, actor: Actor): Promise<ReloadResult> {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(at.commit)) throw badRequest(`"${at.commit}" is not a commit id`);
  const where = (p: Project) => `${at.read.file ?? "the roster"} at commit ${at.commit.slice(0, 12)} of ${p.baseBranch}`;
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId } });
  const read: RepoConfig = at.read.result.ok ? at.read : { ...at.read, result: { ok: false, error: `${where(project)}: ${at.read.result.error}` } };
  const res = await reloadProjectConfig(db, projectId, { readRepoConfig: () => read }, actor);
  const updated = await db.project.update({ where: { id: projectId }, data: { configCommit: at.commit } });
  return { ...res, project: updated };
}
