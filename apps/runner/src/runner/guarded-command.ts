// Runs one command a run needs besides its agent (setup, gate, teardown): argv without a shell, the
// environment it is given (see environment.ts; never the runner's), its own process group that the
// guard kills if the runner dies, a timeout that kills the whole group, and nothing it started
// outlives it. With `sandbox`, it runs in the run's sandbox (../sandbox) and each connection the
// sandbox refuses becomes a line of its output.
import { spawn } from "node:child_process";
import { refusalText } from "../sandbox/refusal-text.ts";
import { sandboxCommand, type SandboxedCommand, type SandboxRequest } from "../sandbox/sandbox.ts";
import { processGuard } from "./guard.ts";
import { killGroup, waitGroupGone } from "./process-group.ts";

export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Set when the command could not be started. */
  error?: string;
  durationMs: number;
  /** The last `tailChars` characters of stdout+stderr, interleaved as they came. */
  tail: string;
}

export async function runGuardedCommand(
  argv: string[],
  opts: {
    cwd: string;
    env: Record<string, string>;
    timeoutMs: number;
    /** SIGTERM first and SIGKILL after this grace on timeout; 0 kills at once. */
    killGraceMs?: number;
    tailChars?: number;
    onOutput?: (chunk: string) => void;
    sandbox?: Omit<SandboxRequest, "argv" | "env" | "cwd" | "onRefused">;
  },
): Promise<CommandResult> {
  const started = Date.now();
  const tailChars = opts.tailChars ?? 4000;
  if (argv.length === 0) return { exitCode: null, signal: null, timedOut: false, error: "empty command", durationMs: 0, tail: "" };
  let tail = "";
  const collect = (text: string) => {
    tail = (tail + text).slice(-tailChars * 4);
    opts.onOutput?.(text);
  };
  let boxed: SandboxedCommand | undefined;
  if (opts.sandbox) {
    try {
      boxed = await sandboxCommand({
        ...opts.sandbox,
        argv,
        env: opts.env,
        cwd: opts.cwd,
        onRefused: (host, port, direct) => collect(`\n[sandbox] ${refusalText(host, port, direct)}\n`),
      });
    } catch (e) {
      return { exitCode: null, signal: null, timedOut: false, error: (e as Error).message, durationMs: Date.now() - started, tail: "" };
    }
  }
  const [file, args, env] = boxed ? [boxed.file, boxed.args, boxed.env] : [argv[0]!, argv.slice(1), opts.env];
  const guard = processGuard(); // before the spawn: registered at once, however fast the runner dies after
  const child = spawn(file, args, { cwd: opts.cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid) guard.add(child.pid);
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    if (!child.pid) return;
    const grace = opts.killGraceMs ?? 0;
    killGroup(child.pid, grace > 0 ? "SIGTERM" : "SIGKILL");
    if (grace > 0) killTimer = setTimeout(() => killGroup(child.pid!, "SIGKILL"), grace);
  }, opts.timeoutMs);
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const res = await new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; error?: string }>((resolve) => {
    child.once("error", (err) => resolve({ exitCode: null, signal: null, error: `cannot run ${argv[0]}: ${err.message}` }));
    child.once("exit", (code, signal) => resolve({ exitCode: code, signal }));
  });
  clearTimeout(timer);
  clearTimeout(killTimer);
  if (child.pid) {
    // Anything it left behind in its group goes too (and releases the pipes, so the output is whole).
    killGroup(child.pid, "SIGKILL");
    await waitGroupGone(child.pid, 2_000);
    guard.remove(child.pid);
  }
  if (!res.error) await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
  await boxed?.close();
  return {
    exitCode: res.exitCode,
    signal: res.signal,
    timedOut,
    ...(res.error ? { error: res.error } : {}),
    durationMs: Date.now() - started,
    tail: tail.slice(-tailChars),
  };
}
