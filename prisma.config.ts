// Used by the Prisma CLI (`prisma generate`, and `prisma migrate status/deploy` wherever its
// engine can be downloaded). Drover itself applies prisma/migrations with packages/db/src/migrate.ts.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/drover" },
});
