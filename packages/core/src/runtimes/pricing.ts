// Cost from tokens with the project's `prices` table, for runtimes that report no cost (Gemini,
// Codex). Token counts follow the normalized usage event: input excludes cache reads.
import type { ModelPrice } from "../config/types.ts";

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

export type CostEstimate =
  | { priced: true; costUsd: number; priceKey: string }
  /** Unknown model: tokens only, and say so. */
  | { priced: false; costUsd?: undefined; reason: string };

/** Exact model name first, else the longest table key the model starts with ("gpt-5.5" prices "gpt-5.5-2026-01"). */
export function priceFor(model: string | null | undefined, prices: Record<string, ModelPrice> | undefined): [string, ModelPrice] | undefined {
  if (!model || !prices) return undefined;
  if (prices[model]) return [model, prices[model]];
  const key = Object.keys(prices)
    .filter((k) => model.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return key ? [key, prices[key]] : undefined;
}

export function estimateCost(model: string | null | undefined, tokens: TokenCounts, prices: Record<string, ModelPrice> | undefined): CostEstimate {
  const hit = priceFor(model, prices);
  if (!hit) return { priced: false, reason: model ? `no price for model "${model}" in the project's prices table` : "the session has no model" };
  const [key, p] = hit;
  // Cache reads and writes cost the input price when the table gives no separate price.
  const perTok = (perM: number | undefined, fallback: number) => (perM ?? fallback) / 1_000_000;
  const cost =
    tokens.inputTokens * perTok(p.input_per_mtok, 0) +
    tokens.outputTokens * perTok(p.output_per_mtok, 0) +
    (tokens.cacheReadTokens ?? 0) * perTok(p.cache_read_per_mtok, p.input_per_mtok) +
    (tokens.cacheWriteTokens ?? 0) * perTok(p.cache_write_per_mtok, p.input_per_mtok);
  return { priced: true, costUsd: Math.round(cost * 1e8) / 1e8, priceKey: key };
}
