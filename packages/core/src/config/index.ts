export * from "./types.ts";
export * from "./parse.ts";
