import { describe, expect, it } from "vitest";
import { readEnv } from "../../src/env.ts";

describe("runner environment", () => {
  it("applies defaults", () => {
    expect(readEnv({})).toMatchObject({ DROVER_WEB_HOST: "127.0.0.1", DROVER_WEB_PORT: 3000, LOG_LEVEL: "info" });
  });

  it("names every bad variable and what is wrong with it", () => {
    expect(() => readEnv({ DATABASE_URL: "localhost:5432", DROVER_WEB_PORT: "eighty", LOG_LEVEL: "loud" })).toThrow(
      /DATABASE_URL: must be a PostgreSQL URL[\s\S]*DROVER_WEB_PORT[\s\S]*LOG_LEVEL/,
    );
  });
});
