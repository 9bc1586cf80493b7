// Creates the demo project's git repository: roster, demo agent script, gate, one commit on main.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
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
  // Demo bug 3 ("Welcome banner has a typo") is about this line; its fix waits on its branch.
  fs.mkdirSync(path.join(dir, "site"), { recursive: true });
  fs.writeFileSync(path.join(dir, "site", "banner.txt"), "Welcom to the demo site!\n");
  git("add", "-A");
  git(...IDENTITY, "commit", "-q", "-m", "Demo project");
}

/**
 * A story's work as a coder leaves it: one commit on the story's branch, made in a temporary
 * worktree so the base branch stays checked out. Does nothing when the branch exists already.
 */
export function commitStoryWork(dir: string, opts: { branch: string; base: string; files: Record<string, string>; message: string }): void {
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: "pipe" });
  try {
    git(dir, "rev-parse", "--verify", "--quiet", `refs/heads/${opts.branch}`);
    return;
  } catch {
    /* not there yet */
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drover-demo-work-"));
  const wt = path.join(tmp, "wt");
  try {
    git(dir, "worktree", "add", "-q", "-b", opts.branch, wt, opts.base);
    for (const [rel, text] of Object.entries(opts.files)) {
      fs.mkdirSync(path.dirname(path.join(wt, rel)), { recursive: true });
      fs.writeFileSync(path.join(wt, rel), text);
    }
    git(wt, "add", "-A");
    git(wt, "-c", "user.name=Drover Demo", "-c", "user.email=demo@drover.local", "commit", "-q", "-m", opts.message);
  } finally {
    git(dir, "worktree", "remove", "--force", wt);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
