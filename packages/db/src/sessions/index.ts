// The session state machine: one file per transition (see README.md).
export * from "./types.ts";
export * from "./create.ts";
export * from "./claim.ts";
export * from "./lease.ts";
export * from "./attempt.ts";
export * from "./end.ts";
export * from "./interrupt.ts";
export * from "./stop.ts";
export * from "./fail.ts";
export * from "./handled.ts";
export * from "./resume.ts";
export * from "./waiting.ts";
export * from "./project-scope.ts";
