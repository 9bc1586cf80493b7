// `pnpm start` (the README's start command): install and build only when something changed since
// the last time (see start-stamps.mjs), say what was skipped, then start `drover up`'s supervisor itself.
import { spawnSync, spawn } from "node:child_process";
import path from "node:path";
import { buildCurrent, installCurrent, repoRoot as root, writeInstallStamp } from "./start-stamps.mjs";

/** Runs pnpm the way this script was started (npx pnpm@... sets npm_execpath), else pnpm on PATH. */
function pnpm(args) {
  const viaNode = process.env.npm_execpath && /\.c?js$/.test(process.env.npm_execpath);
  const r = viaNode
    ? spawnSync(process.execPath, [process.env.npm_execpath, ...args], { cwd: root, stdio: "inherit" })
    : spawnSync("pnpm", args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (installCurrent()) console.log("drover start: dependencies unchanged since the last install: skipping `pnpm install`");
else {
  pnpm(["install", "--frozen-lockfile"]);
  writeInstallStamp();
}
if (buildCurrent()) console.log("drover start: sources unchanged since the last build: skipping `pnpm build`");
else pnpm(["build"]); // its last step writes the build stamp

// `drover up` is a foreground process that only relays signals to its supervisor, started in its
// own process group (apps/runner/src/cli/commands/up.ts). This process is such a foreground
// already, so it starts the supervisor itself: one node and CLI start-up fewer on every start.
const up = spawn(process.execPath, ["--import", "tsx", path.join(root, "apps/runner/src/cli/main.ts"), "up"], {
  cwd: root,
  detached: true,
  stdio: ["inherit", "inherit", "inherit", "ipc"], // its channel closing (we died) stops it too
  env: { ...process.env, DROVER_SUPERVISED: "1" },
});
// Ctrl-C reaches this process through the terminal's process group, not the supervisor's: pass
// it on, as `drover up` does. Its exit code is ours.
const relay = () => up.kill("SIGTERM");
process.on("SIGINT", relay);
process.on("SIGTERM", relay);
up.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
