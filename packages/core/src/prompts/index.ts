export * from "./template.ts";
export * from "./first-turn.ts";
