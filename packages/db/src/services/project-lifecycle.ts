// Archiving and removing a project. Archiving stops its agents and takes it off the board and the
// runner's passes, keeping every row; removal deletes its rows after the person confirmed with the
// project's name. Neither touches the repository (its files, branches and worktrees stay as they are).
import { type Actor, actorLabel } from "@drover/core/audit/actor";
import { badRequest, conflict } from "@drover/core/errors";
import type { Db } from "../client.ts";
import { logProjectEvent } from "./events.ts";
import { findProject } from "./projects.ts";
import { requestStop } from "./sessions.ts";
import { inTx, type Tx } from "./tx.ts";

async function lockProject(tx: Tx, projectId: number) {
  await tx.$queryRaw`SELECT id FROM projects WHERE id = ${projectId} FOR UPDATE`;
  return tx.project.findUniqueOrThrow({ where: { id: projectId } });
}

/** Archives a project: its agents are stopped, auto-assign and merges stop, its history stays. */
export async function archiveProject(db: Db, input: { project: number | string }, actor: Actor) {
  const { id } = await findProject(db, input.project);
  return inTx(db, async (tx) => {
    const p = await lockProject(tx, id);
    if (p.archivedAt) return { project: p, stoppedSessions: [] as number[] };
    const active = await tx.agentSession.findMany({ where: { projectId: id, status: { in: ["pending", "running"] } } });
    for (const s of active) await requestStop(tx, s, "project_archived", `Project ${p.name} archived`);
    const project = await tx.project.update({ where: { id }, data: { archivedAt: new Date() } });
    await logProjectEvent(tx, {
      projectId: id,
      kind: "project_archived",
      message: `Project ${p.name} archived by ${actorLabel(actor)}${active.length ? ` (${active.length} session(s) stopped)` : ""}`,
      actor,
    });
    return { project, stoppedSessions: active.map((s) => s.id) };
  });
}

export async function unarchiveProject(db: Db, input: { project: number | string }, actor: Actor) {
  const { id } = await findProject(db, input.project);
  return inTx(db, async (tx) => {
    const p = await lockProject(tx, id);
    if (!p.archivedAt) return p;
    const project = await tx.project.update({ where: { id }, data: { archivedAt: null } });
    await logProjectEvent(tx, { projectId: id, kind: "project_unarchived", message: `Project ${p.name} unarchived`, actor });
    return project;
  });
}

/**
 * Removes a project's rows (stories, sessions, logs, agents, events). `confirm` must be the
 * project's name. Refused while an agent still runs: archive it first (that stops them).
 */
export async function removeProject(db: Db, input: { project: number | string; confirm: string }, actor: Actor) {
  const { id } = await findProject(db, input.project);
  return inTx(db, async (tx) => {
    const p = await lockProject(tx, id);
    if (input.confirm !== p.name) {
      throw badRequest(`To remove project ${p.name}, confirm with its name exactly ("${p.name}"); nothing was removed`);
    }
    const running = await tx.agentSession.count({ where: { projectId: id, status: { in: ["pending", "running"] } } });
    if (running) throw conflict(`Project ${p.name} still has ${running} agent session(s) running; archive it first (that stops them), then remove it`);
    const stories = await tx.story.count({ where: { projectId: id } });
    // Its activity goes with it; the audit trail (no key to the project) keeps this last word.
    await logProjectEvent(tx, {
      projectId: id,
      kind: "project_removed",
      message: `Project ${p.name} removed by ${actorLabel(actor)} (${stories} stories)`,
      actor,
    });
    await tx.project.delete({ where: { id } });
    return { id, name: p.name, repoPath: p.repoPath, stories };
  });
}
