// A project added by remote URL from the web: this runner checks the remote before anything is
// stored (the URL rule, reachable, base branch present, roster at the base parses) in a throwaway
// clone, then adds the project and reports the roster with the commit it was read at. A token given
// with the request (sealed by the web) is what the check reaches the remote with; it becomes the
// project's secret in the transaction that adds the project, and nothing is stored when the check fails.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Actor } from "@drover/core/audit/actor";
import { parseRemoteUrl } from "@drover/core/config/remote-url";
import { badRequest } from "@drover/core/errors";
import type { RequestAnswers, RequestPayload } from "@drover/core/runner-requests/kinds";
import type { Db } from "@drover/db";
import { readSecretKey, unseal } from "@drover/db/secrets/index";
import { addRemoteProject, remoteTokenPurpose, reportRemoteConfig } from "@drover/db/services/index";
import { readRepoConfig } from "@drover/repo/repo-config";
import { remoteGitEnv, syncClone } from "../runner/remote-git.ts";

// What git says when the remote wants credentials it did not get or did not accept.
const REFUSED = /Authentication failed|could not read (Username|Password)|terminal prompts disabled|returned error: 40[13]|HTTP 40[13]/i;

/** Git's words with the token (as given and as the header carries it) masked: a message never holds it. */
function masked(text: string, token: string | undefined): string {
  if (!token) return text;
  const header = Buffer.from(`x-access-token:${token}`).toString("base64");
  return text.split(token).join("***").split(header).join("***");
}

function unreachable(url: string, p: RequestPayload<"project.addRemote">, token: string | undefined, err: Error): Error {
  const git = masked(err.message, token);
  const where = `Cannot reach ${url} from ${os.hostname()}`;
  if (REFUSED.test(git)) {
    if (token)
      return badRequest(
        `${where}: the remote refused the token given for secret ${p.remoteSecret}; check the token (it needs read and write access to the repository) and add the project again (${git})`,
      );
    return badRequest(
      `${where}: the remote asks for credentials; give an HTTPS token with the secret name to keep it as, or set up this runner's own git credentials (SSH agent, credential helper) (${git})`,
    );
  }
  return badRequest(`${where}: ${git}`);
}

export async function addRemoteFromRequest(
  db: Db,
  p: RequestPayload<"project.addRemote">,
  actor: Actor,
  runnerEnv: NodeJS.ProcessEnv = process.env,
): Promise<RequestAnswers["project.addRemote"]> {
  const remote = parseRemoteUrl(p.remoteUrl);
  // Without a token the check uses this runner's own git credentials (SSH agent, credential helper).
  const key = p.remoteToken ? readSecretKey({ env: runnerEnv }) : undefined;
  const token = p.remoteToken ? unseal(key, remoteTokenPurpose(remote.url), p.remoteToken, `The token for ${remote.url}`) : undefined;
  const env = remoteGitEnv(runnerEnv, token);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drover-remote-check-"));
  try {
    const base = await syncClone(path.join(tmp, "clone"), remote.url, p.baseBranch, env).catch((err: Error) => {
      throw unreachable(remote.url, p, token, err);
    });
    if (!base) throw badRequest(`${remote.url} has no branch ${p.baseBranch}; give the base branch stories merge into`);
    const read = readRepoConfig(path.join(tmp, "clone"));
    if (!read.result.ok) throw badRequest(`${read.file ?? "The roster"} at commit ${base.slice(0, 12)} of ${p.baseBranch}: ${read.result.error}`);
    const project = await addRemoteProject(
      db,
      {
        remoteUrl: remote.url,
        baseBranch: p.baseBranch,
        name: p.name,
        remoteSecret: p.remoteSecret,
        ...(token && key ? { remoteToken: { key, value: token } } : {}),
      },
      actor,
    );
    const r = await reportRemoteConfig(db, project.id, { commit: base, read }, actor);
    return { projectId: project.id, host: os.hostname(), baseCommit: base, rosterFile: read.file, warnings: r.warnings, sync: r.sync };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
