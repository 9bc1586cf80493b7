// The runner's public surface.
export { startRunner, type RunnerHandle, type StartRunnerOptions } from "./runner.ts";
export { defaultLifecycleHooks, decideByExit } from "./lifecycle.ts";
export type { SessionLifecycleHooks, SessionExitContext, SessionExitDecision, SessionEndContext, SessionRow } from "./lifecycle.ts";
