// Runner options: flags, else DROVER_RUNNER_* environment variables, else defaults; validated once.
import os from "node:os";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { DEFAULT_EVENT_LOG_LIMITS } from "./event-log.ts";

const int = (min: number) => z.coerce.number().int().min(min);

export const runnerOptionsSchema = z.object({
  databaseUrl: z.string().min(1, "DATABASE_URL is required (postgresql://user:pass@host:5432/drover)"),
  id: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, "runner id: letters, digits, . _ : - (at most 100)")
    .optional(),
  capacity: int(1).default(4),
  leaseSecs: z.coerce.number().min(1).default(30),
  heartbeatSecs: z.coerce.number().min(0.2).default(5),
  pollMs: int(50).default(2000),
  graceSecs: z.coerce.number().min(0).default(10),
  dataDir: z.string().optional(),
  /**
   * Create a pending resume of each session interrupted by a lost runner or a shutdown. startRunner
   * defaults it to true with the default hooks and false with others (the pipeline resumes itself).
   */
  recoverInterrupted: z.boolean().default(true),
  /** Runner-wide cap on events buffered while the database is unreachable. */
  maxBufferedEvents: int(100).default(100_000),
  /** Memory held by one session's unwritten events while the database is unreachable (while it takes writes, the agent's pipes are paused at 4 MB). */
  maxSessionQueueBytes: int(64 * 1024).default(DEFAULT_EVENT_LOG_LIMITS.maxQueueBytes),
  /** Lines of an agent's output stored per session; a runaway agent's later lines are counted, not stored. */
  maxOutputLines: int(1).default(DEFAULT_EVENT_LOG_LIMITS.maxOutputLines),
  /** Bytes of an agent's output stored per session. */
  maxOutputBytes: int(1024).default(DEFAULT_EVENT_LOG_LIMITS.maxOutputBytes),
  /** Timeout of each component setup command. */
  setupTimeoutSecs: z.coerce.number().min(1).default(1200),
  /**
   * Serve only these projects (ids or names; empty: every project). Checked against the database at
   * start: an unknown one is an error. See project-scope.ts for what a scoped runner does.
   */
  projects: z.array(z.string().trim().min(1, "projects: an empty project name or id")).default([]),
  /** Used when an agent sets no inactivity_timeout_secs. */
  defaultInactivitySecs: z.coerce.number().min(1).default(600),
});

export type RunnerOptionsInput = z.input<typeof runnerOptionsSchema>;
export type RunnerOptions = z.output<typeof runnerOptionsSchema> & { id: string };

export function parseRunnerOptions(input: RunnerOptionsInput): RunnerOptions {
  const parsed = runnerOptionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`Invalid runner options: ${parsed.error.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`).join("; ")}`);
  }
  if (parsed.data.heartbeatSecs >= parsed.data.leaseSecs) {
    throw new Error(`Invalid runner options: heartbeat (${parsed.data.heartbeatSecs}s) must be shorter than the lease (${parsed.data.leaseSecs}s)`);
  }
  return { ...parsed.data, id: parsed.data.id ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}` };
}
