// Well-known locations of the repository, resolved from this file so every app agrees.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const migrationsDir = path.join(repoRoot, "prisma", "migrations");
export const schemaPath = path.join(repoRoot, "prisma", "schema.prisma");

/** Where Drover keeps its embedded database and the demo repository (DROVER_DATA_DIR overrides). */
export function dataDir(): string {
  return path.resolve(process.env.DROVER_DATA_DIR ?? path.join(repoRoot, ".drover-data"));
}
