import { describe, expect, it } from "vitest";
import { estimateCost, priceFor } from "../../src/runtimes/pricing.ts";

const prices = {
  "gpt-5.5": { input_per_mtok: 1.25, output_per_mtok: 10, cache_read_per_mtok: 0.125 },
  "gpt-5": { input_per_mtok: 99, output_per_mtok: 99 },
  "gemini-2.5-pro": { input_per_mtok: 1.25, output_per_mtok: 10, cache_read_per_mtok: 0.31, cache_write_per_mtok: 4.5 },
};

describe("pricing", () => {
  it("prices tokens with the model's row, cache tokens at their own price", () => {
    const c = estimateCost("gemini-2.5-pro", { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 1_000_000, cacheWriteTokens: 100_000 }, prices);
    expect(c).toMatchObject({ priced: true, priceKey: "gemini-2.5-pro" });
    expect(c.costUsd).toBeCloseTo(1.25 + 1 + 0.31 + 0.45, 8);
  });

  it("cache writes without their own price cost the input price", () => {
    const c = estimateCost("gpt-5.5", { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 2_000_000 }, prices);
    expect(c.costUsd).toBeCloseTo(2.5, 10);
  });

  it("a dated model name uses the longest matching prefix", () => {
    expect(priceFor("gpt-5.5-2026-01-01", prices)?.[0]).toBe("gpt-5.5");
    expect(priceFor("gpt-5-mini", prices)?.[0]).toBe("gpt-5");
  });

  it("an unknown model is tokens only, marked unpriced with the reason", () => {
    const c = estimateCost("mystery-1", { inputTokens: 10, outputTokens: 10 }, prices);
    expect(c.priced).toBe(false);
    expect(c.costUsd).toBeUndefined();
    if (!c.priced) expect(c.reason).toContain("mystery-1");
    expect(estimateCost(undefined, { inputTokens: 1, outputTokens: 1 }, prices).priced).toBe(false);
    expect(estimateCost("gpt-5.5", { inputTokens: 1, outputTokens: 1 }, undefined).priced).toBe(false);
  });
});
