import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The web app's own import alias (apps/web/tsconfig.json), for tests that load its modules.
  resolve: { alias: { "@/": fileURLToPath(new URL("./apps/web/src/", import.meta.url)) } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "apps/runner/test/**/*.test.ts", "apps/web/test/**/*.test.ts"],
    globalSetup: ["packages/db/testing/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
