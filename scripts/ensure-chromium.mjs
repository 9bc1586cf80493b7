// The browser tests drive Debian's Chromium (Playwright cannot download its own build here).
// Installs it with apt-get when missing and we are root; otherwise says how to install it.
import { execFileSync } from "node:child_process";
import fs from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (fs.existsSync(path)) process.exit(0);
if (process.getuid?.() === 0 && fs.existsSync("/usr/bin/apt-get")) {
  console.log(`Chromium not found at ${path}: installing Debian's chromium package...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });
  if (fs.existsSync(path)) process.exit(0);
}
console.error(`Chromium is needed for the browser tests: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH.`);
process.exit(1);
