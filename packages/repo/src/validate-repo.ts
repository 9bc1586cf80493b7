// The one rule for a repository path given to Drover (project add, storkit import), and what the
// data layer needs to know about the repository to add it.
import fs from "node:fs";
import path from "node:path";
import { badRequest } from "@drover/core/errors";
import { repoGit } from "./git.ts";

/**
 * Absolute, an existing git repository's root folder. A server process has no meaningful working
 * directory, so a relative path is refused rather than resolved; the CLI resolves one against the user's shell first.
 */
export async function validateRepo(repoPath: string): Promise<{ root: string; headBranch: string | null }> {
  if (!path.isAbsolute(repoPath)) throw badRequest(`Repository path must be absolute (got "${repoPath}")`);
  let real: string;
  try {
    real = fs.realpathSync(repoPath);
  } catch {
    throw badRequest(`Repository path ${repoPath} does not exist`);
  }
  if (!fs.statSync(real).isDirectory()) throw badRequest(`Repository path ${repoPath} is not a folder`);
  const git = repoGit(real);
  let top: string;
  try {
    top = (await git.revparse(["--show-toplevel"])).trim();
  } catch {
    throw badRequest(`${repoPath} is not a git repository; run \`git init\` there or give the repository's root folder`);
  }
  if (fs.realpathSync(top) !== real) throw badRequest(`${repoPath} is inside the git repository ${top}; add the repository's root folder`);
  let headBranch: string | null = null;
  try {
    headBranch = (await git.raw(["symbolic-ref", "--short", "-q", "HEAD"])).trim() || null;
  } catch {
    headBranch = null; // detached HEAD
  }
  return { root: real, headBranch };
}

export async function branchExists(repo: string, branch: string): Promise<boolean> {
  try {
    // `branch --list` prints nothing for a missing branch (no exit-code guessing).
    return (await repoGit(repo).raw(["branch", "--list", "--", branch])).trim() !== "";
  } catch {
    return false;
  }
}

/**
 * Whether this host can serve a request about `repoPath` (the runner's request channel asks it
 * before claiming one): a path that exists here. A relative path is served too, so validateRepo's
 * error says what is wrong with it instead of every runner passing it by.
 */
export function repoReachable(repoPath: string): { ok: true } | { ok: false; reason: string } {
  if (!path.isAbsolute(repoPath)) return { ok: true };
  return fs.existsSync(repoPath) ? { ok: true } : { ok: false, reason: `${repoPath} does not exist on this host` };
}
