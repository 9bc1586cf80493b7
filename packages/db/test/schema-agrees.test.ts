// schema.prisma and the migrated database must describe the same thing. Migrations are
// hand-written SQL (Prisma's engine can't be downloaded here), so this is what catches a field
// added to the schema without a migration, or a migration the schema doesn't know about.
import fs from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schemaPath } from "../src/paths.ts";
import { canonicalizePredicates, diffShapes, shapeFromDatabase, shapeFromSchema, type DbShape } from "../testing/schema-diff.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";

const schemaText = fs.readFileSync(schemaPath, "utf8");

describe("schema.prisma agrees with the migrated database", () => {
  let t: TestDatabase;
  let live: DbShape;
  beforeAll(async () => {
    t = await createTestDatabase();
    live = await shapeFromDatabase(t.url);
  });
  afterAll(() => t.drop());

  it("has every model, column, type, nullability, default, index, unique constraint and foreign key", async () => {
    const expected = await canonicalizePredicates(await shapeFromSchema(schemaText), t.url);
    expect(diffShapes(expected, live)).toEqual([]);
    // The comparison really covers the interesting parts (guards against an empty read).
    const sessions = live.tables.get("agent_sessions")!;
    expect(sessions.indexes.get("agent_sessions_one_active_per_agent")?.where).toContain("pending");
    expect(sessions.foreignKeys.get("agent_sessions_story_id_fkey")?.onDelete).toBe("CASCADE");
    expect(live.tables.get("stories")!.columns.get("depends_on")?.type).toBe("integer[]");
  });

  it("fails when a field is added to the schema without a migration", async () => {
    const drifted = schemaText.replace(/(model Project \{\n)/, '$1  ownerEmail String @map("owner_email")\n');
    expect(drifted).not.toBe(schemaText);
    expect(diffShapes(await canonicalizePredicates(await shapeFromSchema(drifted), t.url), live)).toEqual([
      "column projects.owner_email: in schema.prisma, missing in the database",
    ]);
  });

  it("fails when a default, nullability, index predicate or delete rule differs", async () => {
    const drifted = schemaText
      .replace('@default("main") @map("base_branch")', '@default("master") @map("base_branch")')
      .replace("configError     String?", "configError     String")
      .replace(`where: raw("status IN ('pending', 'running')"))`, `where: raw("status = 'running'"))`)
      .replace(
        "story   Story?  @relation(fields: [storyId], references: [id], onDelete: SetNull)",
        "story   Story?  @relation(fields: [storyId], references: [id], onDelete: Cascade)",
      );
    const diffs = diffShapes(await canonicalizePredicates(await shapeFromSchema(drifted), t.url), live).join("\n");
    expect(diffs).toMatch(/projects\.base_branch: default 'master'::text in schema vs 'main'::text in database/);
    expect(diffs).toMatch(/projects\.config_error: nullable false in schema vs true in database/);
    expect(diffs).toMatch(/project_events_story_id_fkey: schema .*"onDelete":"CASCADE".* vs database .*"onDelete":"SET NULL"/);
    expect(diffs).toMatch(/index agent_sessions_one_active_per_agent on agent_sessions: schema .*"where":"status = 'running'::/);
  });

  it("fails when a migration creates something the schema doesn't describe", async () => {
    const c = new pg.Client({ connectionString: t.url });
    await c.connect();
    try {
      await c.query(`CREATE INDEX "stray_idx" ON "stories"("title")`);
      const diffs = diffShapes(await canonicalizePredicates(await shapeFromSchema(schemaText), t.url), await shapeFromDatabase(t.url));
      expect(diffs).toEqual(["index stray_idx on stories: in the database, not in schema.prisma"]);
    } finally {
      await c.query(`DROP INDEX "stray_idx"`);
      await c.end();
    }
  });
});
