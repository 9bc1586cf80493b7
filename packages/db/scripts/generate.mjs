// Runs `prisma generate` offline. The Prisma CLI wants to download its schema engine even
// for generate (which never runs it); pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing
// executable skips that download. Migrations are applied by packages/db, not the engine.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const require = createRequire(path.join(root, "package.json"));
const cli = path.join(path.dirname(require.resolve("prisma/package.json")), "build/index.js");
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const res = spawnSync(process.execPath, [cli, "generate", "--schema", path.join(root, "prisma/schema.prisma")], {
  cwd: root,
  env,
  stdio: "inherit",
});
if (res.status !== 0) {
  console.error("prisma generate failed (see above). Fix prisma/schema.prisma and run `pnpm --filter @drover/db generate`.");
  process.exit(res.status ?? 1);
}
