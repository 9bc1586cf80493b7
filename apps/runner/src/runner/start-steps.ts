// Where the time goes between a session's wake-up (its NOTIFY) and its agent's spawn: named steps,
// each the time since the previous mark, logged at debug level once the agent has started (off by
// default; `pnpm bench dispatch` turns it on and prints each step's median).
import pino, { type Logger } from "pino";

const START_STEPS_MSG = "agent start steps";

export class StartSteps {
  /** Wall-clock time (ms since the epoch) of the first mark's start: the bench matches it to its own clock. */
  readonly wokeAt: number;
  private last: number;
  private logged = false;
  readonly steps: Record<string, number> = {};

  /** `startedAgo`: how long ago (ms) the wake-up came, when it came before the steps begin. */
  constructor(startedAgo = 0) {
    this.last = performance.now() - startedAgo;
    this.wokeAt = Date.now() - startedAgo;
  }

  /** The time since the previous mark goes to `name` (added up when a step repeats). */
  mark(name: string): void {
    const now = performance.now();
    this.steps[name] = (this.steps[name] ?? 0) + (now - this.last);
    this.last = now;
  }

  /** One debug line, at the first spawn: the steps in ms, rounded to 0.01. */
  log(log: Logger, sessionId: number): void {
    if (this.logged || !log.isLevelEnabled("debug")) return;
    this.logged = true;
    const steps = Object.fromEntries(Object.entries(this.steps).map(([k, v]) => [k, Math.round(v * 100) / 100]));
    log.debug({ sessionId, wokeAt: this.wokeAt, steps }, START_STEPS_MSG);
  }
}

/**
 * A runner logger for measuring: every agent's start steps go to `onSteps`; other lines at warn
 * level or above still go to stderr, the rest nowhere.
 */
export function startStepsLogger(onSteps: (r: { sessionId: number; wokeAt: number; steps: Record<string, number> }) => void): Logger {
  return pino(
    { level: "debug" },
    {
      write(line: string) {
        const r = JSON.parse(line) as { msg?: string; level: number; sessionId: number; wokeAt: number; steps: Record<string, number> };
        if (r.msg === START_STEPS_MSG) onSteps(r);
        else if (r.level >= 40) process.stderr.write(line);
      },
    },
  );
}
