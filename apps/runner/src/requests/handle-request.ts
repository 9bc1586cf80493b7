// What a runner does for each kind of request the web sends it (the web has no repository). Every
// kind goes through the same repository functions the command line uses; validation is
// validateRepo's (through repoAccess), so a project path is judged the same everywhere.
import type { Actor } from "@drover/core/audit/actor";
import { DomainError } from "@drover/core/errors";
import { parsePayload, type RequestAnswers, type RequestKind } from "@drover/core/runner-requests/kinds";
import type { Db } from "@drover/db";
import { addProject, findProject, reloadProjectConfig } from "@drover/db/services/index";
import { importRepo } from "@drover/db/services/storkit-io/import-repo";
import { repoAccess } from "@drover/repo";
import { inspectProject } from "@drover/repo/repo-health";
import { planStarterRoster, writeStarterRoster } from "@drover/repo/starter-roster";
import { addRemoteFromRequest } from "./add-remote.ts";

type Handlers = { [K in RequestKind]: (db: Db, payload: unknown, actor: Actor) => Promise<RequestAnswers[K]> };

const HANDLERS: Handlers = {
  async "project.add"(db, payload, actor) {
    const r = await addProject(db, parsePayload("project.add", payload), repoAccess, actor);
    return { projectId: r.project.id, warnings: r.warnings, sync: r.sync };
  },
  "project.addRemote"(db, payload, actor) {
    return addRemoteFromRequest(db, parsePayload("project.addRemote", payload), actor);
  },
  async "project.reload"(db, payload, actor) {
    const r = await reloadProjectConfig(db, parsePayload("project.reload", payload).projectId, repoAccess, actor);
    return { projectId: r.project.id, ok: r.ok, error: r.error, warnings: r.warnings, sync: r.sync };
  },
  async "project.inspect"(db, payload) {
    const project = await findProject(db, parsePayload("project.inspect", payload).projectId);
    return inspectProject(project.repoPath, { baseBranch: project.baseBranch });
  },
  async "roster.offer"(_db, payload) {
    const p = parsePayload("roster.offer", payload);
    try {
      const plan = await planStarterRoster(p.repoPath, p.runtime);
      return { roster: "missing", file: plan.file, text: plan.text, gates: plan.gates, baseBranch: plan.baseBranch };
    } catch (err) {
      if (err instanceof DomainError && err.code === "CONFLICT") return { roster: "exists" };
      throw err;
    }
  },
  async "roster.write"(_db, payload) {
    const p = parsePayload("roster.write", payload);
    return { file: writeStarterRoster(await planStarterRoster(p.repoPath, p.runtime)) };
  },
  async "storkit.import"(db, payload, actor) {
    const p = parsePayload("storkit.import", payload);
    const r = await importRepo(db, p.repoPath, repoAccess, actor, { name: p.name });
    return { ...r };
  },
};

export function handleRequest(db: Db, kind: RequestKind, payload: unknown, actor: Actor): Promise<unknown> {
  return HANDLERS[kind](db, payload, actor);
}
