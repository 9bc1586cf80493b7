// What of a repository's git folders a sandboxed run in a worktree sees. All of the common dir
// read-only (config, other refs, hooks); for a run that commits, read-write only what a commit on
// this worktree's branch writes: its own git folder (index, HEAD, logs), the object store, and the
// folder of loose refs (and their logs) that holds its branch.
import fs from "node:fs";
import path from "node:path";

function readGitFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}

/**
 * The git folders of the checkout at `dir` (read from its .git, no git process): its own (index,
 * HEAD) and the repository's common one; `main` for a main checkout, whose .git folder is both.
 */
export function gitFolders(dir: string): { gitDir: string; common: string; main: boolean } | undefined {
  const dotGit = path.join(dir, ".git");
  const st = fs.statSync(dotGit, { throwIfNoEntry: false });
  if (!st) return undefined;
  if (st.isDirectory()) return { gitDir: dotGit, common: dotGit, main: true };
  const m = /^gitdir: (.+)$/m.exec(readGitFile(dotGit) ?? "");
  if (!m) return undefined;
  const gitDir = path.resolve(dir, m[1]!.trim());
  return { gitDir, common: path.resolve(gitDir, readGitFile(path.join(gitDir, "commondir")) ?? "."), main: false };
}

export function gitMounts(worktree: string, commit: boolean): { readOnly: string[]; readWrite: string[] } {
  const folders = gitFolders(worktree);
  if (!folders) return { readOnly: [], readWrite: [] };
  const { gitDir, common } = folders;
  if (folders.main) return commit ? { readOnly: [], readWrite: [gitDir] } : { readOnly: [gitDir], readWrite: [] }; // a main checkout: its git folder is its own
  if (!commit) return { readOnly: [common], readWrite: [] };
  const readWrite = [gitDir, path.join(common, "objects")];
  const head = /^ref: refs\/heads\/(.+)$/.exec(readGitFile(path.join(gitDir, "HEAD")) ?? "");
  if (head) {
    const folder = path.dirname(head[1]!); // "drover" for drover/12-login
    for (const base of [path.join(common, "refs", "heads"), path.join(common, "logs", "refs", "heads")]) {
      const dir = path.join(base, folder);
      fs.mkdirSync(dir, { recursive: true }); // a bind needs it to exist; git would make it anyway
      readWrite.push(dir);
    }
  }
  return { readOnly: [common], readWrite };
}
