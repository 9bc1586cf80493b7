// Transactional data access. Import as @drover/db/services/index.
export * from "./tx.ts";
export * from "./events.ts";
export * from "./repo-access.ts";
export * from "./config-sync.ts";
export * from "./projects.ts";
export * from "./stories.ts";
export * from "./sessions.ts";
export * from "./agents.ts";
export * from "./validate.ts";
export * from "./import.ts";
export * from "./redact.ts";
