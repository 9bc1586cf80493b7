import type { NextConfig } from "next";
import { API_SECURITY_HEADERS } from "./src/server/posture/security-headers";

const config: NextConfig = {
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@drover/api", "@drover/auth", "@drover/core", "@drover/db"],
  // The Prisma client and pg stay Node-side, loaded at run time.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "pino", "@node-rs/argon2"],
  typedRoutes: false,
  // Says nothing about the server to whoever asks.
  poweredByHeader: false,
  // Pages get theirs (with a per-request nonce) from proxy.ts, which does not run on API routes.
  headers: async () => [{ source: "/api/:path*", headers: Object.entries(API_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }],
};

export default config;
