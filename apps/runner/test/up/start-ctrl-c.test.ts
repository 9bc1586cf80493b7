// A clean Ctrl-C of `pnpm start` ends quietly: pnpm runs the start script through `sh -c`, and a
// shell that is not replaced by node (exec) dies of the SIGINT itself, so pnpm reports
// "ELIFECYCLE Command failed" although Drover stopped cleanly. The script line from the root
// package.json runs under the real pnpm, with a stand-in for start.mjs that stops the way it does
// (relays the signal, then exits 0).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, expect, it } from "vitest";
import { repoRoot } from "@drover/db/paths";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-ctrl-c-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it("Ctrl-C of `pnpm start` ends without ELIFECYCLE", async () => {
  const root = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: { start: string }; packageManager: string };
  fs.mkdirSync(path.join(dir, "scripts"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "ctrl-c", private: true, scripts: { start: root.scripts.start } }));
  fs.writeFileSync(
    path.join(dir, "scripts/start.mjs"),
    'process.on("SIGINT", () => setTimeout(() => process.exit(0), 200));\nsetInterval(() => {}, 1000);\nconsole.log("started");\n',
  );
  // Its own process group, signalled as a terminal's Ctrl-C signals the foreground group.
  const child = execa("npx", ["--yes", root.packageManager, "start"], { cwd: dir, detached: true, all: true, reject: false, timeout: 60_000 });
  await new Promise<void>((resolve) => child.all!.on("data", (d: Buffer) => d.toString().includes("started") && resolve()));
  process.kill(-child.pid!, "SIGINT");
  const res = await child;
  expect(res.all).not.toContain("ELIFECYCLE");
  expect(res.all).not.toContain("Command failed");
}, 90_000);
