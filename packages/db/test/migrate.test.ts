import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "../src/migrate.ts";
import { migrationsDir } from "../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";

function copyMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-mig-"));
  fs.cpSync(migrationsDir, dir, { recursive: true });
  return dir;
}

async function rows(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`)).rows;
  } finally {
    await c.end();
  }
}

describe("applyMigrations", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ empty: true });
  });
  afterAll(() => t.drop());

  it("applies every migration once and records it as Prisma does", async () => {
    const local = readMigrations();
    expect(await applyMigrations(t.url)).toEqual(local.map((m) => m.name));
    expect(await applyMigrations(t.url)).toEqual([]);
    const recorded = await rows(t.url);
    expect(recorded.map((r) => r.migration_name)).toEqual(local.map((m) => m.name));
    for (const r of recorded) {
      const sql = fs.readFileSync(path.join(migrationsDir, r.migration_name, "migration.sql"));
      expect(r.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.applied_steps_count).toBe(1);
      expect(r.rolled_back_at).toBeNull();
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("is safe when several processes migrate at once (advisory lock)", async () => {
    const fresh = await createTestDatabase({ empty: true });
    try {
      const results = await Promise.all([1, 2, 3, 4].map(() => applyMigrations(fresh.url)));
      expect(results.flat().sort()).toEqual(
        readMigrations()
          .map((m) => m.name)
          .sort(),
      );
    } finally {
      await fresh.drop();
    }
  });

  it("refuses to start when an applied migration was edited, naming it", async () => {
    const dir = copyMigrations();
    const first = readMigrations(dir)[0]!;
    fs.appendFileSync(path.join(dir, first.name, "migration.sql"), "\n-- edited\n");
    await expect(applyMigrations(t.url, { dir })).rejects.toThrow(new RegExp(`${first.name} was edited after it was applied`));
  });

  it("records a failed migration, stops with its name, and keeps stopping until it is resolved", async () => {
    const dir = copyMigrations();
    const bad = "29990101000000_broken";
    fs.mkdirSync(path.join(dir, bad));
    fs.writeFileSync(path.join(dir, bad, "migration.sql"), `CREATE TABLE "ok_then" (id int);\nSELECT * FROM no_such_table;\n`);
    await expect(applyMigrations(t.url, { dir })).rejects.toThrow(/29990101000000_broken failed: .*no_such_table/);
    const failed = (await rows(t.url)).find((r) => r.migration_name === bad);
    expect(failed.finished_at).toBeNull();
    expect(failed.logs).toMatch(/no_such_table/);
    // The transaction rolled back: nothing half-written.
    const c = new pg.Client({ connectionString: t.url });
    await c.connect();
    expect((await c.query(`SELECT to_regclass('ok_then') AS t`)).rows[0].t).toBeNull();
    await c.end();
    fs.writeFileSync(path.join(dir, bad, "migration.sql"), `CREATE TABLE "ok_then" (id int);\n`);
    await expect(applyMigrations(t.url, { dir })).rejects.toThrow(/29990101000000_broken failed earlier and is not resolved/);
  });
});
