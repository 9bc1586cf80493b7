// Starts the guard (guard.mjs) and tells it which process groups to kill if this process dies.
// One guard per process (processGuard) serves everything a run starts: agents, setup, gates, teardown.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface Guard {
  add(pgid: number): void;
  remove(pgid: number): void;
  close(): void;
}

function startGuard(onExit?: () => void): Guard {
  const file = fileURLToPath(new URL("./guard.mjs", import.meta.url));
  // Its own process group, so a Ctrl-C meant for the runner does not take the guard first.
  const child: ChildProcess = spawn(process.execPath, [file], { detached: true, stdio: ["pipe", "ignore", "inherit"], env: {} });
  child.on("error", () => {});
  if (onExit) child.once("exit", onExit);
  child.stdin!.on("error", () => {});
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  const send = (line: string) => {
    if (!child.stdin!.destroyed) child.stdin!.write(`${line}\n`);
  };
  return {
    add: (pgid) => send(`+${pgid}`),
    remove: (pgid) => send(`-${pgid}`),
    close: () => child.stdin!.end(),
  };
}

let shared: Guard | undefined;

/** This process's guard, started on first use (and again if it died). It is never closed: it goes when this process does. */
export function processGuard(): Guard {
  if (!shared) {
    shared = startGuard(() => {
      shared = undefined;
    });
  }
  return shared;
}
