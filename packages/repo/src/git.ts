// Every git command Drover runs on a repository: argv only (simple-git never uses a shell) and an
// allow-listed environment, never the caller's.
import { simpleGit, type SimpleGit } from "simple-git";

/** Git's environment: less than an agent's (hooks a repository installs run with it), nothing that changes what git does (EDITOR, GIT_DIR ...). */
export function buildGitEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = { LANG: "C" };
  for (const k of ["PATH", "HOME", "TMPDIR"]) if (base[k]) env[k] = base[k]!;
  return env;
}

/** A git client for `dir` with the allow-listed environment. */
export function repoGit(dir: string): SimpleGit {
  return simpleGit(dir).env(buildGitEnv());
}
