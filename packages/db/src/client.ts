// The one Prisma client module: Prisma 7's Rust-free client over node-postgres.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export type Db = PrismaClient;

const POOL = Symbol("drover.pgPool");

export function createDb(databaseUrl: string, opts: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.max ?? 10 });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  Object.defineProperty(db, POOL, { value: pool });
  return db;
}

/**
 * The client's own node-postgres pool, for the few hot statements where Prisma's per-query work
 * is the cost (the runner's event batches); undefined once `$disconnect` ended it.
 */
export function pgPool(db: Db): pg.Pool | undefined {
  const pool = (db as unknown as Record<symbol, pg.Pool | undefined>)[POOL];
  return pool && !pool.ended ? pool : undefined;
}

let shared: { url: string; db: Db } | undefined;

/** A process-wide client for DATABASE_URL (web server, runner, CLI). */
export function getDb(databaseUrl = process.env.DATABASE_URL): Db {
  if (!databaseUrl) throw new Error("DATABASE_URL is not set: start Drover with `pnpm start`, or set DATABASE_URL=postgresql://user:pass@host:5432/drover");
  if (!shared || shared.url !== databaseUrl) shared = { url: databaseUrl, db: createDb(databaseUrl) };
  return shared.db;
}
