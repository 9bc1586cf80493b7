// What to do about a command that names host paths a sandboxed run does not see, and how to install
// what a sandbox needs: one wording for the runner's refusals and `drover doctor`'s lines.

/** The install commands for every tool a sandbox needs (bubblewrap, socat, and tcpdump and ip to report direct connections). */
export const INSTALL_SANDBOX_TOOLS =
  "Debian/Ubuntu: `apt-get install -y bubblewrap socat tcpdump iproute2`; Fedora: `dnf install bubblewrap socat tcpdump iproute`";

export function hiddenPathAdvice(who: string, paths: string[]): string {
  return `${who} names ${paths.join(", ")}, which its sandbox does not show (a sandboxed run sees its worktree, not the host): put the file in the repository and name it relative to the worktree, or set sandbox = false in .drover/project.toml`;
}
