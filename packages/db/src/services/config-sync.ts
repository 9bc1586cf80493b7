// Roster -> Agent rows: new agents are added, changed ones updated, removed ones disabled (never
// deleted, so their sessions and history stay).
import { isDeepStrictEqual } from "node:util";
import type { AgentConfig } from "@drover/core/config/index";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "./tx.ts";

export interface SyncResult {
  added: string[];
  updated: string[];
  disabled: string[];
}

export async function syncAgents(tx: Tx, projectId: number, roster: AgentConfig[]): Promise<SyncResult> {
  const existing = await tx.agent.findMany({ where: { projectId } });
  const byName = new Map(existing.map((a) => [a.name, a]));
  const res: SyncResult = { added: [], updated: [], disabled: [] };
  for (const a of roster) {
    const data = {
      stage: a.stage,
      role: a.role ?? null,
      runtime: a.runtime,
      model: a.model ?? null,
      config: a as unknown as Prisma.InputJsonValue,
      enabled: true,
    };
    const prev = byName.get(a.name);
    if (!prev) {
      await tx.agent.create({ data: { projectId, name: a.name, ...data } });
      res.added.push(a.name);
    } else {
      const same =
        prev.enabled &&
        prev.stage === data.stage &&
        prev.role === data.role &&
        prev.runtime === data.runtime &&
        prev.model === data.model &&
        // jsonb does not keep key order: compare structurally.
        isDeepStrictEqual(prev.config, JSON.parse(JSON.stringify(a)));
      if (!same) {
        await tx.agent.update({ where: { id: prev.id }, data });
        res.updated.push(a.name);
      }
    }
  }
  const names = new Set(roster.map((a) => a.name));
  for (const prev of existing) {
    if (prev.enabled && !names.has(prev.name)) {
      await tx.agent.update({ where: { id: prev.id }, data: { enabled: false } });
      res.disabled.push(prev.name);
    }
  }
  return res;
}
