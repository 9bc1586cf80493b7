export * from "./stages.ts";
export * from "./workspace.ts";
export * from "./start-decision.ts";
export * from "./claim-rule.ts";
