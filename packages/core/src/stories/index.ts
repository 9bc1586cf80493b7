export * from "./file.ts";
export * from "./criteria.ts";
