// Pending sessions no live runner can run (CLI missing, no credential) say why on the board:
// "no runner can run codex: CLI missing on all runners". Any runner computes it on its heartbeat
// from every live runner's recorded capabilities (a runner scoped to some projects counts only for
// those: `--projects`); the note clears once some runner can run it.
import { canRun, noCapableRunnerReason, secretDecrypter } from "@drover/core/runtimes/capabilities";
import { secretKeyIds } from "@drover/db/secrets/key-ids";
import type { Db } from "@drover/db";
import { CHANNELS, notify } from "@drover/db/notify";
import { liveRunnerCapabilities } from "@drover/db/services/runner-views";
import { serves } from "./project-scope.ts";
import { setWaitingReason } from "@drover/db/sessions/index";

interface PendingRow {
  id: number;
  project_id: number;
  runtime: string;
  env: Record<string, string> | null;
}

export async function noteUnrunnableSessions(db: Db): Promise<void> {
  const live = await liveRunnerCapabilities(db);
  const pending = await db.$queryRaw<PendingRow[]>`
    SELECT s.id, s.project_id, s.runtime, a.config->'env' AS env
    FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
    WHERE s.status = 'pending' AND s.stop_requested_at IS NULL`;
  const byReason = new Map<string | null, number[]>();
  const keyIds = new Map<number, Map<string, string>>();
  for (const p of pending) {
    const agent = { runtime: p.runtime, env: p.env };
    if (!keyIds.has(p.project_id)) keyIds.set(p.project_id, await secretKeyIds(db, p.project_id));
    const ids = keyIds.get(p.project_id)!;
    const runners = live.filter((r) => serves(r.projectIds, p.project_id));
    const reason = noCapableRunnerReason(
      p.runtime,
      runners.map((r) => ({ runnerId: r.id, verdict: canRun(r.capabilities, agent, secretDecrypter(r.secretKeyId, ids)) })),
    );
    byReason.set(reason, [...(byReason.get(reason) ?? []), p.id]);
  }
  const changed = new Set<number>();
  for (const [reason, ids] of byReason) for (const p of await setWaitingReason(db, ids, reason)) changed.add(p);
  for (const projectId of changed) await notify(db, CHANNELS.board, { projectId });
}
