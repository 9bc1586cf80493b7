// Process-group helpers (Linux): is a group alive, kill it, and when did a process start, so a
// recorded pid is only acted on when it is still the same process.
import fs from "node:fs";

/**
 * True while any member of the group still runs. Members that exited but wait to be reaped
 * (zombies, e.g. orphans of a container's lazy PID 1) run no code and hold nothing: they count
 * as gone, though kill(-pgid, 0) still finds them.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return groupMembers(pgid).some((m) => m.state !== "Z" && m.state !== "X");
}

/** Processes whose process group is `pgid`, from /proc. */
export function groupMembers(pgid: number): { pid: number; state: string }[] {
  const out: { pid: number; state: string }[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (d.charCodeAt(0) > 57) continue; // not a pid
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[2]) === pgid) out.push({ pid: Number(d), state: f[0] });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
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
export async function waitGroupGone(pgid: number, timeoutMs: number, everyMs = 25): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return true;
}
