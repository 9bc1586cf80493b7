// Runs a project's acceptance gates in a worktree: each gate is an argv (a string is split like a
// shell would split words, but never run through one), guarded in its own process group (see
// runner/guarded-command.ts) so a timeout or the runner's death
// kills everything it started. Output is streamed into the session log and summarised in the report.
import { gateArgv, type GateSpec } from "@drover/core/config/gate-argv";
import { DEFAULT_GATE_TIMEOUT_SECS } from "@drover/core/config/parse";
import type { NormalizedEvent } from "@drover/core/runtimes/types";
import { buildCommandEnv } from "../runner/environment.ts";
import { withGitIdentity } from "../runner/git-identity.ts";
import { runGuardedCommand } from "../runner/guarded-command.ts";
import { commandSandbox } from "../sandbox/policy.ts";
import type { ProjectConfig } from "@drover/core/config/types";

const TAIL_CHARS = 4000;

export interface GateResult {
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** The last TAIL_CHARS characters of stdout+stderr, interleaved as they came. */
  outputTail: string;
  error?: string;
}

export interface GateReport {
  passed: boolean;
  gates: GateResult[];
}

export async function runGates(opts: {
  cwd: string;
  gates: GateSpec[];
  timeoutSecs?: number;
  env?: Record<string, string>;
  emit?: (ev: NormalizedEvent) => Promise<void>;
  /** The project's sandbox settings (`sandbox`, `network_allow`); unset runs unsandboxed (tests of the gate runner itself). */
  sandbox?: Partial<Pick<ProjectConfig, "sandbox" | "network_allow">>;
}): Promise<GateReport> {
  const gates: GateResult[] = [];
  for (const spec of opts.gates) {
    const res = await runGate(spec, opts);
    gates.push(res);
    await opts.emit?.({
      kind: "gate",
      command: res.command,
      exitCode: res.exitCode ?? undefined,
      passed: res.exitCode === 0 && !res.timedOut,
      text: `${res.command}: ${res.timedOut ? `timed out after ${opts.timeoutSecs ?? DEFAULT_GATE_TIMEOUT_SECS}s` : res.error ? res.error : `exit ${res.exitCode}`}\n${res.outputTail}`,
    });
    // Later gates usually depend on earlier ones (build, then test): stop at the first failure.
    if (res.exitCode !== 0 || res.timedOut) break;
  }
  return { passed: gates.every((g) => g.exitCode === 0 && !g.timedOut), gates };
}

async function runGate(
  spec: GateSpec,
  opts: { cwd: string; timeoutSecs?: number; env?: Record<string, string>; sandbox?: Partial<Pick<ProjectConfig, "sandbox" | "network_allow">> },
): Promise<GateResult> {
  const argv = gateArgv(spec);
  const command = argv.join(" ");
  if (argv.length === 0) return { command, exitCode: null, timedOut: false, durationMs: 0, outputTail: "", error: "empty gate command" };
  // A gate runs the repository's code (an agent may have rewritten it): the allow-listed environment, guarded.
  const env = await withGitIdentity(buildCommandEnv({ extra: { ...opts.env, CI: "1" } }), opts.cwd, "gate");
  const r = await runGuardedCommand(argv, {
    cwd: opts.cwd,
    env,
    ...(opts.sandbox ? { sandbox: commandSandbox(opts.sandbox, opts.cwd, env) } : {}),
    timeoutMs: (opts.timeoutSecs ?? DEFAULT_GATE_TIMEOUT_SECS) * 1000,
    killGraceMs: 5_000,
    tailChars: TAIL_CHARS,
  });
  return {
    command,
    exitCode: r.exitCode,
    timedOut: r.timedOut,
    durationMs: r.durationMs,
    outputTail: r.tail,
    ...(r.error ? { error: r.error } : {}),
  };
}

/** The failure text sent back to the agent on a retry: which gate failed and its output tail. */
export function gateFailureText(report: GateReport, timeoutSecs = DEFAULT_GATE_TIMEOUT_SECS): string {
  const failed = report.gates.find((g) => g.exitCode !== 0 || g.timedOut);
  if (!failed) return "";
  const how = failed.timedOut ? `timed out after ${timeoutSecs}s` : (failed.error ?? `exited with code ${failed.exitCode}`);
  return `The acceptance gate \`${failed.command}\` ${how}. Its output (tail):\n\n${failed.outputTail.trimEnd()}\n\nFix the cause, commit your changes, and finish.`;
}
