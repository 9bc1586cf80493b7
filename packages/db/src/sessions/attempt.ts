import { ownedWhere, type DbOrTx, type Owner } from "./types.ts";

/** What the owning attempt records about its run while it runs (no status change). */
export interface AttemptFacts {
  worktreePath?: string;
  branch?: string;
  baseBranch?: string;
  resumeRuntimeSessionId?: null;
  pid?: number;
  pgid?: number;
  processStartedAt?: Date;
  exitCode?: number | null;
}

/** Writes facts of a running session, only while `owner` still owns it. */
export async function recordAttempt(db: DbOrTx, owner: Owner, data: AttemptFacts): Promise<boolean> {
  const r = await db.agentSession.updateMany({ where: ownedWhere(owner), data });
  return r.count === 1;
}
