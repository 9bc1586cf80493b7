// Per-test-file database: a clone of the migrated template, dropped when the file is done.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createDb, type Db } from "../src/client.ts";
import { ensureDatabase, dropDatabase } from "../src/embedded.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Maintenance-database URL of the test server (from global-setup.ts). */
    dbAdminUrl: string;
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  adminUrl: string;
  db: Db;
  drop(): Promise<void>;
}

export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject("dbAdminUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  await ensureDatabase(adminUrl, name, opts.empty ? undefined : "drover_test_template");
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const db = createDb(url);
  return {
    name,
    url,
    adminUrl,
    db,
    async drop() {
      await db.$disconnect();
      await dropDatabase(adminUrl, name);
    },
  };
}
