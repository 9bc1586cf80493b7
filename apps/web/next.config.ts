import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@drover/api", "@drover/core", "@drover/db"],
  // The Prisma client and pg stay Node-side, loaded at run time.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "pino"],
  typedRoutes: false,
  // Says nothing about the server to whoever asks.
  poweredByHeader: false,
};

export default config;
