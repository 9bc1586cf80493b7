// Runs a project's acceptance gates in a worktree: each gate is an argv (a string is split like a
// shell would split words, but never run through one), in its own process group so a timeout
// kills everything it started. Output is streamed into the session log and summarised in the report.
import { spawn } from "node:child_process";
import { parseArgsStringToArgv } from "string-argv";
import type { NormalizedEvent } from "@drover/core/runtimes/types";

export const DEFAULT_GATE_TIMEOUT_SECS = 1200;
const TAIL_CHARS = 4000;

export type GateSpec = string | string[];

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

export function gateArgv(spec: GateSpec): string[] {
  return Array.isArray(spec) ? spec : parseArgsStringToArgv(spec);
}

export async function runGates(opts: {
  cwd: string;
  gates: GateSpec[];
  timeoutSecs?: number;
  env?: Record<string, string>;
  emit?: (ev: NormalizedEvent) => Promise<void>;
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

async function runGate(spec: GateSpec, opts: { cwd: string; timeoutSecs?: number; env?: Record<string, string> }): Promise<GateResult> {
  const argv = gateArgv(spec);
  const command = argv.join(" ");
  const started = Date.now();
  if (argv.length === 0) return { command, exitCode: null, timedOut: false, durationMs: 0, outputTail: "", error: "empty gate command" };
  const timeoutMs = (opts.timeoutSecs ?? DEFAULT_GATE_TIMEOUT_SECS) * 1000;
  let output = "";
  let timedOut = false;
  const child = spawn(argv[0], argv.slice(1), {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, CI: "1" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-TAIL_CHARS * 4);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const killGroup = (sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup("SIGTERM");
    setTimeout(() => killGroup("SIGKILL"), 5_000).unref();
  }, timeoutMs);
  const res = await new Promise<{ exitCode: number | null; error?: string }>((resolve) => {
    child.once("error", (err) => resolve({ exitCode: null, error: `cannot run ${argv[0]}: ${err.message}` }));
    child.once("close", (code) => resolve({ exitCode: code }));
  });
  clearTimeout(timer);
  // Anything the gate left behind in its group goes too.
  killGroup("SIGKILL");
  const error = res.error;
  return {
    command,
    exitCode: res.exitCode,
    timedOut,
    durationMs: Date.now() - started,
    outputTail: output.slice(-TAIL_CHARS),
    ...(error ? { error } : {}),
  };
}

/** The failure text sent back to the agent on a retry: which gate failed and its output tail. */
export function gateFailureText(report: GateReport, timeoutSecs = DEFAULT_GATE_TIMEOUT_SECS): string {
  const failed = report.gates.find((g) => g.exitCode !== 0 || g.timedOut);
  if (!failed) return "";
  const how = failed.timedOut ? `timed out after ${timeoutSecs}s` : failed.error ?? `exited with code ${failed.exitCode}`;
  return `The acceptance gate \`${failed.command}\` ${how}. Its output (tail):\n\n${failed.outputTail.trimEnd()}\n\nFix the cause, commit your changes, and finish.`;
}
