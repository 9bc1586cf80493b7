// @drover/core: pure domain (no database, no processes).
export * from "./errors.ts";
export * from "./config/index.ts";
export * from "./stories/index.ts";
export * from "./pipeline/index.ts";
export * from "./prompts/index.ts";
export * from "./storkit/layout.ts";
export * from "./storkit/tree.ts";
