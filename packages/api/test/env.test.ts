import { afterEach, describe, expect, it, vi } from "vitest";

describe("web server environment", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("says what to set when DATABASE_URL is missing", async () => {
    vi.stubEnv("DATABASE_URL", undefined as unknown as string);
    const { serverEnv } = await import("../src/env.ts");
    expect(() => serverEnv()).toThrow(/DATABASE_URL is not set: start Drover with `pnpm start`/);
  });

  it("rejects a URL that is not PostgreSQL", async () => {
    vi.stubEnv("DATABASE_URL", "mysql://localhost/x");
    const { serverEnv } = await import("../src/env.ts");
    expect(() => serverEnv()).toThrow(/must be a PostgreSQL URL/);
  });

  it("accepts a PostgreSQL URL", async () => {
    vi.stubEnv("DATABASE_URL", "postgresql://u:p@127.0.0.1:5432/drover");
    const { serverEnv } = await import("../src/env.ts");
    expect(serverEnv().DATABASE_URL).toBe("postgresql://u:p@127.0.0.1:5432/drover");
  });
});
