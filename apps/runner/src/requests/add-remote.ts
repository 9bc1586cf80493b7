// A project added by remote URL from the web: this runner checks the remote before anything is
// stored (the URL rule, reachable, base branch present, roster at the base parses) in a throwaway
// clone, then adds the project and reports the roster with the commit it was read at.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Actor } from "@drover/core/audit/actor";
import { parseRemoteUrl } from "@drover/core/config/remote-url";
import { badRequest } from "@drover/core/errors";
import type { RequestAnswers, RequestPayload } from "@drover/core/runner-requests/kinds";
import type { Db } from "@drover/db";
import { addRemoteProject, reportRemoteConfig } from "@drover/db/services/index";
import { readRepoConfig } from "@drover/repo/repo-config";
import { remoteGitEnv, syncClone } from "../runner/remote-git.ts";

export async function addRemoteFromRequest(
  db: Db,
  p: RequestPayload<"project.addRemote">,
  actor: Actor,
  runnerEnv: NodeJS.ProcessEnv = process.env,
): Promise<RequestAnswers["project.addRemote"]> {
  const remote = parseRemoteUrl(p.remoteUrl);
  // A project secret cannot exist before its project: the check uses this runner's own git
  // credentials (SSH agent, credential helper); the secret is used by every fetch once it is set.
  const env = remoteGitEnv(runnerEnv);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drover-remote-check-"));
  try {
    const base = await syncClone(path.join(tmp, "clone"), remote.url, p.baseBranch, env).catch((err: Error) => {
      throw badRequest(`Cannot reach ${remote.url} from ${os.hostname()}: ${err.message}`);
    });
    if (!base) throw badRequest(`${remote.url} has no branch ${p.baseBranch}; give the base branch stories merge into`);
    const read = readRepoConfig(path.join(tmp, "clone"));
    if (!read.result.ok) throw badRequest(`${read.file ?? "The roster"} at commit ${base.slice(0, 12)} of ${p.baseBranch}: ${read.result.error}`);
    const project = await addRemoteProject(db, { remoteUrl: remote.url, baseBranch: p.baseBranch, name: p.name, remoteSecret: p.remoteSecret }, actor);
    const r = await reportRemoteConfig(db, project.id, { commit: base, read }, actor);
    return { projectId: project.id, host: os.hostname(), baseCommit: base, rosterFile: read.file, warnings: r.warnings, sync: r.sync };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
