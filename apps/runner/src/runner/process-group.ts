// Process-group helpers (Linux): is a group alive, kill it, and when did a process start, so a
// recorded pid is only acted on when it is still the same process.
import fs from "node:fs";

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

let bootMs: number | undefined;
function bootTimeMs(): number {
  if (bootMs === undefined) {
    const m = /^btime (\d+)$/m.exec(fs.readFileSync("/proc/stat", "utf8"));
    bootMs = m ? Number(m[1]) * 1000 : 0;
  }
  return bootMs;
}

/** Start time of a live process (ms since epoch, ±10 ms), or undefined when it is gone. */
export function processStartMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at index 2: starttime is field 22.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    return bootTimeMs() + (ticks * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Waits until the group is gone; false on timeout. */
export async function waitGroupGone(pgid: number, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return true;
}
