// A run's git identity is asked of git once per config state, not on every run: the answer is kept
// until a file git reads for it changes (the repository's config, the run's HOME's), and a config
// with an include is asked every time. A `git` on the run's PATH that logs its calls counts the asks.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeRepo } from "@drover/repo/testing/make-repo";
import { beforeEach, describe, expect, it } from "vitest";
import { withGitIdentity } from "../../src/runner/git-identity.ts";

const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
let dir: string;
let wt: string;
let log: string;
let env: Record<string, string>;

const git = (cwd: string, ...args: string[]) => execFileSync(realGit, args, { cwd, stdio: "pipe" });
/** How many times the runs' git was asked for the identity. */
const asks = () =>
  fs.existsSync(log)
    ? fs
        .readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => l.startsWith("config --get")).length
    : 0;
const fallbackName = "coder-1 (Drover)";
const fallbackEmail = "coder-1@drover.invalid";

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-idcache-")));
  const repo = makeRepo({ dir: path.join(dir, "repo") });
  git(repo, "config", "--unset", "user.name");
  git(repo, "config", "--unset", "user.email");
  wt = path.join(dir, "wt");
  git(repo, "worktree", "add", "-q", "-b", "drover/1-x", wt);
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  log = path.join(dir, "git-calls.log");
  fs.writeFileSync(path.join(bin, "git"), `#!/bin/sh\necho "$*" >> ${JSON.stringify(log)}\nexec ${JSON.stringify(realGit)} "$@"\n`, { mode: 0o755 });
  const home = path.join(dir, "home");
  fs.mkdirSync(home);
  env = { PATH: `${bin}:${process.env.PATH}`, HOME: home };
});

describe("the git identity's answer is kept per config state", () => {
  it("asks git once while nothing changes, and again once the repository's or the HOME's config changes", async () => {
    const first = await withGitIdentity(env, wt, "coder-1");
    expect(first.GIT_AUTHOR_NAME).toBe(fallbackName);
    expect(first.GIT_COMMITTER_EMAIL).toBe(fallbackEmail);
    expect(asks()).toBe(1);

    const again = await withGitIdentity(env, wt, "coder-1");
    expect(again).toEqual(first);
    expect(asks()).toBe(1); // kept: no git process

    // The repository gets a name (its common config, as `git config` in the worktree writes it).
    git(wt, "config", "user.name", "Repo Person");
    const named = await withGitIdentity(env, wt, "coder-1");
    expect(named.GIT_AUTHOR_NAME).toBeUndefined();
    expect(named.GIT_AUTHOR_EMAIL).toBe(fallbackEmail);
    expect(asks()).toBe(2);

    // A session's own HOME with an email (another session's HOME, a new path, holds the same: kept).
    fs.writeFileSync(path.join(env.HOME!, ".gitconfig"), "[user]\n\temail = me@example.com\n");
    const both = await withGitIdentity(env, wt, "coder-1");
    expect(both.GIT_AUTHOR_NAME).toBeUndefined();
    expect(both.GIT_AUTHOR_EMAIL).toBeUndefined();
    expect(asks()).toBe(3);
    const otherHome = path.join(dir, "home2");
    fs.mkdirSync(otherHome);
    fs.copyFileSync(path.join(env.HOME!, ".gitconfig"), path.join(otherHome, ".gitconfig"));
    expect((await withGitIdentity({ ...env, HOME: otherHome }, wt, "coder-1")).GIT_AUTHOR_EMAIL).toBeUndefined();
    expect(asks()).toBe(3);

    // Removed again: the fallback is back.
    git(wt, "config", "--unset", "user.name");
    expect((await withGitIdentity(env, wt, "coder-1")).GIT_AUTHOR_NAME).toBe(fallbackName);
  });

  it("asks every time when a config file includes another (what that one holds is not looked at)", async () => {
    const extra = path.join(dir, "identity.gitconfig");
    fs.writeFileSync(extra, "[user]\n\tname = Included\n");
    git(wt, "config", "include.path", extra);
    expect((await withGitIdentity(env, wt, "coder-1")).GIT_AUTHOR_NAME).toBeUndefined();
    fs.writeFileSync(extra, "");
    expect((await withGitIdentity(env, wt, "coder-1")).GIT_AUTHOR_NAME).toBe(fallbackName);
    expect(asks()).toBe(2);
  });

  it("asks every time when the run's env moves what git reads (GIT_CONFIG_GLOBAL)", async () => {
    const global = path.join(dir, "global.gitconfig");
    fs.writeFileSync(global, "[user]\n\tname = Global\n");
    const withGlobal = { ...env, GIT_CONFIG_GLOBAL: global };
    expect((await withGitIdentity(withGlobal, wt, "coder-1")).GIT_AUTHOR_NAME).toBeUndefined();
    fs.writeFileSync(global, "");
    expect((await withGitIdentity(withGlobal, wt, "coder-1")).GIT_AUTHOR_NAME).toBe(fallbackName);
    expect(asks()).toBe(2);
  });
});
