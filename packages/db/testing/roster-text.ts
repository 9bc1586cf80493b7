// Fixtures that insert project and agent rows directly (tests, the bench) must also store the
// roster text a config reload would have: the runner runs only what that text says
// (apps/runner/src/runner/roster.ts), never the rows' JSON copies.
import { stringify } from "smol-toml";
import type { Db } from "../src/client.ts";

/** Stores the project's roster text (configText, and rosterText as the last good one) made from its config and enabled agent rows. */
export async function syncRosterText(db: Db, projectId: number): Promise<void> {
  const p = await db.project.findUniqueOrThrow({ where: { id: projectId } });
  const agents = await db.agent.findMany({ where: { projectId, enabled: true }, orderBy: { id: "asc" } });
  const roster = { ...((p.config ?? {}) as object), agent: agents.map((a) => ({ stage: a.stage, ...(a.config as object) })) };
  const text = stringify(JSON.parse(JSON.stringify(roster)));
  await db.project.update({ where: { id: projectId }, data: { configText: text, rosterText: text } });
}
