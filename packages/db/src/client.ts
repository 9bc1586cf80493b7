// The one Prisma client module: Prisma 7's Rust-free client over node-postgres.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export type Db = PrismaClient;

export function createDb(databaseUrl: string, opts: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: opts.max ?? 10 });
  return new PrismaClient({ adapter });
}

let shared: { url: string; db: Db } | undefined;

/** A process-wide client for DATABASE_URL (web server, runner, CLI). */
export function getDb(databaseUrl = process.env.DATABASE_URL): Db {
  if (!databaseUrl) throw new Error("DATABASE_URL is not set: start Drover with `pnpm start`, or set DATABASE_URL=postgresql://user:pass@host:5432/drover");
  if (!shared || shared.url !== databaseUrl) shared = { url: databaseUrl, db: createDb(databaseUrl) };
  return shared.db;
}
