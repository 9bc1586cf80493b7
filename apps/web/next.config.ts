import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@drover/api", "@drover/auth", "@drover/core", "@drover/db"],
  // The Prisma client and pg stay Node-side, loaded at run time.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "pino", "@node-rs/argon2"],
  typedRoutes: false,
};

export default config;
