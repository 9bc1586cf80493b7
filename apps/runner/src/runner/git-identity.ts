// A run's git identity. Agents, setup and gates run with a HOME of their own, often in a fresh
// clone of a remote: no user.name or user.email anywhere, so a plain `git commit` fails. When git
// (as the run will see it: its env, its cwd) finds none, the run is given one naming it. GIT_AUTHOR_*
// and GIT_COMMITTER_* override git's config, so they are set only for what git does not have, and
// never over what the roster's env sets.
//
// Asking git is a process on the way to every agent's start (tens of ms on a busy host), so its
// answer is kept per config state (gitConfigState): asked again once a file git reads changes.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gitFolders } from "../sandbox/git-access.ts";

interface Identity {
  name: boolean;
  email: boolean;
}

/** Whether git, run in `cwd` with `env`, has a non-empty user.name and user.email (one process). */
function askGit(cwd: string, env: Record<string, string>): Promise<Identity> {
  return new Promise((resolve) => {
    execFile("git", ["config", "--get-regexp", "^user\\.(name|email)$"], { cwd, env, timeout: 10_000 }, (err, stdout) => {
      // Keys come lower-cased, one `key value` a line, in git's order: the last one wins, as with --get.
      const last = new Map<string, string>();
      if (!err) {
        for (const line of String(stdout).split("\n")) {
          const i = line.indexOf(" ");
          if (line) last.set(i < 0 ? line : line.slice(0, i), i < 0 ? "" : line.slice(i + 1).trim());
        }
      }
      resolve({ name: !!last.get("user.name"), email: !!last.get("user.email") });
    });
  });
}

/** Where git (the one on `envPath`) reads its system config: it names it when listing or failing to read it. */
const systemFiles = new Map<string, Promise<string | undefined>>();
function systemConfigFile(envPath: string): Promise<string | undefined> {
  let found = systemFiles.get(envPath);
  if (!found) {
    found = new Promise((resolve) => {
      execFile(
        "git",
        ["config", "--system", "--show-origin", "--list"],
        { cwd: "/", env: { PATH: envPath, LANG: "C" }, timeout: 10_000 },
        (_err, stdout, stderr) => {
          const m = /^file:(\/[^\t]+)\t/m.exec(String(stdout)) ?? /unable to read config file '(\/[^']+)'/.exec(String(stderr));
          resolve(m?.[1]); // an empty system file names nothing: the answer is then never kept
        },
      );
    });
    systemFiles.set(envPath, found);
  }
  return found;
}

/** Run variables that are not about where git reads its config (GIT_CONFIG_*, GIT_DIR... are). */
const INERT = /^GIT_(AUTHOR|COMMITTER)_(NAME|EMAIL|DATE)$/;

/**
 * A digest of everything `git config` in `cwd` with `env` reads: the git on PATH, the system file,
 * the global ones under the run's HOME, the repository's and the worktree's config, by content, and
 * the owners git checks (safe.directory). Undefined, so git is asked every time, when that set is
 * not known here: a config file with an include, a GIT_* variable that moves what git reads, a cwd
 * that is not a checkout's top.
 */
async function gitConfigState(cwd: string, env: Record<string, string>): Promise<string | undefined> {
  if (Object.keys(env).some((k) => k.startsWith("GIT_") && !INERT.test(k))) return undefined;
  const system = await systemConfigFile(env.PATH ?? "");
  const folders = gitFolders(cwd);
  if (!system || !folders) return undefined;
  const home = env.HOME || undefined;
  const xdg = env.XDG_CONFIG_HOME || (home && path.join(home, ".config"));
  // The global files' paths change with each session's HOME: only what they hold counts.
  const files = [
    system,
    xdg && path.join(xdg, "git", "config"),
    home && path.join(home, ".gitconfig"),
    path.join(folders.common, "config"),
    path.join(folders.gitDir, "config.worktree"),
  ];
  const hash = createHash("sha256").update(`${cwd}\0${env.PATH ?? ""}`);
  for (const file of files) {
    let text: string | undefined;
    try {
      if (file) text = fs.readFileSync(file, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") return undefined;
    }
    if (text !== undefined && /\[\s*include/i.test(text)) return undefined; // what it includes is not looked at here
    hash.update(file === undefined ? "\0." : text === undefined ? "\0-" : `\0+${text}`);
  }
  for (const dir of [cwd, folders.gitDir, folders.common]) {
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    if (!st) return undefined;
    hash.update(`\0${st.uid}`);
  }
  return hash.digest("hex");
}

const known = new Map<string, Identity>();

async function identityOf(cwd: string, env: Record<string, string>): Promise<Identity> {
  const state = await gitConfigState(cwd, env);
  const hit = state && known.get(state);
  if (hit) return hit;
  const asked = await askGit(cwd, env);
  if (state) {
    if (known.size >= 1000) known.clear(); // a bound: states of worktrees long gone
    known.set(state, asked);
  }
  return asked;
}

/** `env` plus an identity for `who` ("<who> (Drover)" <who@drover.invalid>) where git in `cwd` has none. */
export async function withGitIdentity(env: Record<string, string>, cwd: string, who: string): Promise<Record<string, string>> {
  const has = await identityOf(cwd, env);
  const out = { ...env };
  if (!has.name) for (const k of ["GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"]) out[k] ??= `${who} (Drover)`;
  if (!has.email) for (const k of ["GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"]) out[k] ??= `${who.replace(/[^A-Za-z0-9._-]/g, "-") || "agent"}@drover.invalid`;
  return out;
}
