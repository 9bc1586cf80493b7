// What to do about a command that names host paths a sandboxed run does not see: one wording for
// the runner's refusal (before a run starts) and `drover doctor`'s warning.
export function hiddenPathAdvice(who: string, paths: string[]): string {
  return `${who} names ${paths.join(", ")}, which its sandbox does not show (a sandboxed run sees its worktree, not the host): put the file in the repository and name it relative to the worktree, or set sandbox = false in .drover/project.toml`;
}
