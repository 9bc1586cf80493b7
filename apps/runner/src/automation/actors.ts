// Drover's own automation, as the actor its changes are recorded under (the audit trail, the feed).
import type { Actor } from "@drover/core/audit/actor";

const automation = (what: string): Actor => ({ kind: "automation", what });

export const AUTOMATION = {
  autoAssign: automation("auto-assign"),
  /** The after-session verdict: advance, hold for review, block. */
  verdict: automation("pipeline"),
  retry: automation("retry"),
  rateLimitRestart: automation("rate-limit-restart"),
  crashRestart: automation("crash-restart"),
  merge: automation("merge"),
  budget: automation("budget"),
  rateLimit: automation("rate-limit"),
  archive: automation("archive"),
  recovery: automation("recovery"),
  demo: automation("demo"),
  demoAutopilot: automation("demo autopilot"),
  /** A remote project's roster, read from its remote base. */
  configSync: automation("remote config"),
} as const satisfies Record<string, Actor>;
