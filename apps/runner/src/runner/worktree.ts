// One worktree per story, on branch drover/<number>-<slug>, under the project's worktree root.
// Names are generated here and validated as git does; a path that resolves outside the root is
// refused; a stale entry of its own worktree is removed; a failure carries git's own message.
import fs from "node:fs";
import path from "node:path";
import { simpleGit } from "simple-git";
import { isStrictlyInside } from "@drover/core/paths";
import { containedPath, realResolve } from "@drover/repo/contained-path";
import { buildGitEnv } from "@drover/repo/git";
import { removeStaleWorktreeEntry } from "./stale-worktree-entry.ts";

// git runs the repository's hooks (post-checkout on worktree add): never with the runner's environment.
const repoGit = (dir: string) => simpleGit(dir).env(buildGitEnv());

export class WorktreeError extends Error {
  constructor(
    readonly reason: "path_escape" | "worktree_error" | "bad_branch",
    message: string,
  ) {
    super(message);
  }
}

async function checkBranchName(repoPath: string, branch: string): Promise<void> {
  try {
    await repoGit(repoPath).raw(["check-ref-format", "--branch", branch]);
  } catch (e) {
    throw new WorktreeError("bad_branch", `"${branch}" is not a valid branch name: ${(e as Error).message.trim()}`);
  }
}

function whereTo(p: string): string {
  try {
    return realResolve(p);
  } catch {
    return "a link that points nowhere";
  }
}

/** Refuses a worktree path that is not strictly inside the root once symlinks are resolved. */
function assertInsideRoot(root: string, wt: string): string {
  fs.mkdirSync(root, { recursive: true });
  const real = containedPath(root, wt);
  if (!real)
    throw new WorktreeError(
      "path_escape",
      `Worktree path ${wt} resolves to ${whereTo(wt)}, outside the worktree root ${fs.realpathSync(root)}; refusing to start`,
    );
  return real;
}

/** Keeps an in-repository worktree root out of `git status` without touching tracked files. */
function excludeRoot(repoPath: string, root: string, gitCommonDir: string): void {
  if (!isStrictlyInside(repoPath, root)) return;
  const rel = path.relative(repoPath, root);
  const exclude = path.join(gitCommonDir, "info", "exclude");
  const line = `/${rel.split(path.sep).join("/")}/`;
  const text = fs.existsSync(exclude) ? fs.readFileSync(exclude, "utf8") : "";
  if (text.split("\n").includes(line)) return;
  fs.mkdirSync(path.dirname(exclude), { recursive: true });
  fs.appendFileSync(exclude, `${text && !text.endsWith("\n") ? "\n" : ""}${line}\n`);
}

/** The worktree's private git folder if `wt` is a live worktree of this repository (read from its .git file). */
function worktreeGitDir(wt: string, commonDir: string): string | undefined {
  try {
    const m = /^gitdir: (.+)$/m.exec(fs.readFileSync(path.join(wt, ".git"), "utf8"));
    if (!m) return undefined;
    const gitDir = fs.realpathSync(path.resolve(wt, m[1].trim()));
    if (!isStrictlyInside(fs.realpathSync(path.join(commonDir, "worktrees")), gitDir) || !fs.existsSync(path.join(gitDir, "HEAD"))) return undefined;
    return gitDir;
  } catch {
    return undefined;
  }
}

const repoLocks = new Map<string, Promise<unknown>>();
/** Serializes worktree changes per repository inside this runner (git's own locks cover other runners). */
function withRepoLock<T>(repo: string, fn: () => Promise<T>): Promise<T> {
  const prev = repoLocks.get(repo) ?? Promise.resolve();
  const next = prev.catch(() => {}).then(fn);
  repoLocks.set(repo, next);
  return next;
}

const LOCK_RE = /\.lock'?:? File exists|Unable to create .*\.lock|could not lock|cannot lock ref/i;

async function gitRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= 8 || !LOCK_RE.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100 * (i + 1)));
    }
  }
}

export interface EnsuredWorktree {
  path: string;
  branch: string;
  /** True when this call created it (setup and copy_files must run). */
  created: boolean;
  /** Git's private folder for this worktree (markers live there, outside the working tree). */
  gitDir: string;
  /** The repository's common git dir (objects, refs, the worktrees' index files): what a commit writes. */
  commonDir: string;
}

const checkedBranches = new Set<string>();
const commonDirs = new Map<string, string>();

export async function ensureWorktree(opts: { repoPath: string; root: string; path: string; branch: string; baseBranch: string }): Promise<EnsuredWorktree> {
  const { repoPath, root, branch, baseBranch } = opts;
  const wt = assertInsideRoot(root, opts.path);
  if (!checkedBranches.has(branch)) {
    await checkBranchName(repoPath, branch);
    checkedBranches.add(branch);
  }
  const git = repoGit(repoPath);
  let commonDir = commonDirs.get(repoPath);
  if (!commonDir) {
    commonDir = (await git.raw(["rev-parse", "--path-format=absolute", "--git-common-dir"])).trim();
    commonDirs.set(repoPath, commonDir);
    excludeRoot(repoPath, root, commonDir);
  }
  const common = commonDir;
  return withRepoLock(repoPath, async () => {
    // Another runner may be creating the same story's worktree right now: git's errors then say
    // the branch or folder already exists; look again shortly, it is usually ready by then.
    for (let attempt = 0; ; attempt++) {
      const existing = worktreeGitDir(wt, common);
      if (existing) return { path: wt, branch, created: false, gitDir: existing, commonDir: common };
      try {
        await createWorktree(git, common, wt, branch, baseBranch);
        const gitDir = worktreeGitDir(wt, common);
        if (!gitDir) throw new WorktreeError("worktree_error", `git worktree add reported success but ${wt} is not a worktree`);
        return { path: wt, branch, created: true, gitDir, commonDir: common };
      } catch (e) {
        const msg = (e as Error).message;
        if (attempt >= 6 || !/already exists|already checked out|already used by worktree|is not a worktree|\.lock/i.test(msg)) {
          throw e instanceof WorktreeError ? e : new WorktreeError("worktree_error", `git worktree add failed: ${msg.trim()}`);
        }
        await new Promise((r) => setTimeout(r, 150 + Math.random() * 250 * (attempt + 1)));
      }
    }
  });
}

async function createWorktree(git: ReturnType<typeof repoGit>, commonDir: string, wt: string, branch: string, baseBranch: string): Promise<void> {
  if (fs.existsSync(wt) && fs.readdirSync(wt).length > 0) {
    throw new WorktreeError("worktree_error", `${wt} already exists but is not a worktree of this repository; move it away or remove it`);
  }
  // A worktree folder deleted by hand leaves an entry that blocks `worktree add`.
  removeStaleWorktreeEntry(commonDir, wt);
  const branchExists = (await git.raw(["branch", "--list", branch])).trim() !== "";
  const args = branchExists ? ["worktree", "add", wt, branch] : ["worktree", "add", "-b", branch, wt, baseBranch];
  try {
    await gitRetry(() => git.raw(args));
  } catch (e) {
    const msg = (e as Error).message.trim();
    // Still registered (e.g. a locked entry) or the branch is checked out in a missing worktree.
    if (!/already registered|missing but locked/i.test(msg)) throw e;
    await git.raw(["worktree", "prune"]);
    await gitRetry(() => git.raw(["worktree", "add", "-f", "-f", ...args.slice(2)]));
  }
}

/** The commit a branch points at, read from the ref files (no git process: called around every run). */
export async function branchHead(repoPath: string, branch: string): Promise<string | undefined> {
  try {
    const commonDir = commonDirs.get(repoPath) ?? (await repoGit(repoPath).raw(["rev-parse", "--path-format=absolute", "--git-common-dir"])).trim();
    commonDirs.set(repoPath, commonDir);
    const loose = path.join(commonDir, "refs", "heads", ...branch.split("/"));
    if (fs.existsSync(loose)) return fs.readFileSync(loose, "utf8").trim() || undefined;
    const packed = path.join(commonDir, "packed-refs");
    if (!fs.existsSync(packed)) return undefined;
    const line = fs
      .readFileSync(packed, "utf8")
      .split("\n")
      .find((l) => l.endsWith(` refs/heads/${branch}`));
    return line?.split(" ")[0];
  } catch {
    return undefined;
  }
}
