// `drover runner --projects a,b`: a runner that serves only some projects. It claims only their
// sessions, recovers only their lost sessions, serves only requests about them (none that add a
// project), runs the pipeline and the demo autopilot only for them, and its recorded capabilities
// count only for them (waiting reasons, the doctor view). Waiting reasons are still computed for
// every project: they are read from all live runners' records, so any runner computes them right.
import type { Db } from "@drover/db";
import { findProject } from "@drover/db/services/projects";

/** Project ids a runner serves; empty: every project. */
export type ProjectScope = readonly number[];

/** The ids of `refs` (ids or names); throws naming every unknown one. */
export async function resolveProjectScope(db: Db, refs: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  const unknown: string[] = [];
  for (const ref of refs) {
    const p = await findProject(db, ref).catch(() => null);
    if (p) ids.push(p.id);
    else unknown.push(ref);
  }
  if (unknown.length) {
    const known = (await db.project.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true }, take: 50 }))
      .map((p) => `${p.id} ${p.name}`)
      .join(", ");
    throw new Error(`projects: no project ${unknown.map((u) => JSON.stringify(u)).join(", ")} (give project ids or names; known: ${known || "none yet"})`);
  }
  return [...new Set(ids)];
}

/** Whether a runner with `scope` serves `projectId`. */
export function serves(scope: ProjectScope, projectId: number): boolean {
  return scope.length === 0 || scope.includes(projectId);
}
