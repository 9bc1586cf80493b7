// Project secrets encrypted at rest. Import as @drover/db/secrets/index.
export * from "./key.ts";
export * from "./store.ts";
export * from "./key-ids.ts";
export * from "./sealed.ts";
