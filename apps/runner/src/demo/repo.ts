// Creates the demo project's git repository: roster, demo agent script, gate, one commit on main.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const filesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "files");
const IDENTITY = ["-c", "user.name=Drover", "-c", "user.email=drover@localhost"];

export function createDemoRepo(dir: string): void {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  fs.mkdirSync(path.join(dir, ".drover", "demo"), { recursive: true });
  fs.mkdirSync(path.join(dir, "script"), { recursive: true });
  git("init", "-q", "-b", "main");
  fs.copyFileSync(path.join(filesDir, "project.toml"), path.join(dir, ".drover", "project.toml"));
  fs.copyFileSync(path.join(filesDir, "agent.mjs"), path.join(dir, ".drover", "demo", "agent.mjs"));
  fs.copyFileSync(path.join(filesDir, "test.mjs"), path.join(dir, "script", "test"));
  fs.chmodSync(path.join(dir, "script", "test"), 0o755);
  fs.writeFileSync(
    path.join(dir, "README.md"),
    "# Drover demo project\n\nCreated by Drover on first start. Its agents are scripts in `.drover/demo/`; they write `features/story-N.md` and commit.\n",
  );
  fs.writeFileSync(path.join(dir, ".gitignore"), ".drover/worktrees/\n");
  git("add", "-A");
  git(...IDENTITY, "commit", "-q", "-m", "Demo project");
}
