// Vitest global setup: one PostgreSQL for the whole run (embedded, in a temp folder, unless
// DROVER_TEST_ADMIN_URL names a server), and a migrated template database that each test file
// clones into a database of its own (see test-database.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, ensureDatabase, dropDatabase } from "../src/embedded.ts";
import { applyMigrations } from "../src/migrate.ts";
// The ProvidedContext type (dbAdminUrl) is declared beside its consumer.
export type { TestDatabase } from "./test-database.ts";

export const TEMPLATE_DB = "drover_test_template";

export default async function setup(project: TestProject) {
  let adminUrl = process.env.DROVER_TEST_ADMIN_URL;
  let stop = async () => {};
  let tmp: string | undefined;
  if (!adminUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drover-test-pg-"));
    const pg = await startEmbeddedPostgres({ dataDir: tmp, fast: true, preferredPort: 0 });
    adminUrl = pg.adminUrl;
    stop = pg.stop;
  }
  await dropDatabase(adminUrl, TEMPLATE_DB);
  await ensureDatabase(adminUrl, TEMPLATE_DB);
  await applyMigrations(adminUrl.replace(/\/[^/]*$/, `/${TEMPLATE_DB}`));
  project.provide("dbAdminUrl", adminUrl);
  return async () => {
    await stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  };
}
