// The runner's guard: a tiny plain-Node process that outlives a SIGKILLed runner just long enough
// to kill its agents. The runner writes "+<pgid>" / "-<pgid>" lines on our stdin; when the pipe
// closes (the runner exited, however it died) every group still registered is killed.
import readline from "node:readline";

const groups = new Set();
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => {});

function killAll(signal) {
  for (const g of groups) {
    try {
      process.kill(-g, signal);
    } catch {
      groups.delete(g); // gone already
    }
  }
}

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const n = Number(line.slice(1));
  if (!Number.isInteger(n) || n <= 1) return;
  if (line[0] === "+") groups.add(n);
  else if (line[0] === "-") groups.delete(n);
});
rl.on("close", () => {
  if (groups.size === 0) process.exit(0);
  killAll("SIGTERM");
  setTimeout(() => {
    killAll("SIGKILL");
    process.exit(0);
  }, 1500);
});
