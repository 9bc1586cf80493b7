// The starting `.drover/project.toml` that `drover init` (and the web's add-project flow) offers for
// a repository without a roster: a coder, a QA agent and a mergemaster on one runtime, the gates
// found in the repository, the base branch from HEAD. Pure: the caller detects gates and writes it.
import type { RuntimeName } from "./types.ts";

const q = (s: string) => JSON.stringify(s); // a JSON string is a valid TOML basic string
const list = (xs: readonly string[]) => `[${xs.map(q).join(", ")}]`;

/** Per runtime, the keys each agent gets (Claude needs its tools allowed to run git and the gates non-interactively). */
function runtimeKeys(runtime: RuntimeName, stage: "coder" | "qa" | "mergemaster"): string[] {
  switch (runtime) {
    case "claude-code":
      return [
        `allowed_tools = ${list(stage === "qa" ? ["Read", "Glob", "Grep", "Bash"] : ["Read", "Edit", "Write", "Glob", "Grep", "Bash"])}`,
        "max_turns = 80",
      ];
    case "command":
      return [`command = ${list(["my-agent", "{{story_id}}", "{{worktree_path}}"])}  # replace my-agent with your agent's program`];
    default:
      return ["max_turns = 80"];
  }
}

const AGENTS = [
  { name: "coder-1", stage: "coder", role: "Implements the story in its worktree and commits the change" },
  { name: "qa", stage: "qa", role: "Checks the change against the story's acceptance criteria" },
  { name: "mergemaster", stage: "mergemaster", role: "Resolves merge conflicts with the base branch" },
] as const;

export function starterRoster(opts: { runtime: RuntimeName; gates: string[]; baseBranch: string | null }): string {
  const lines = [
    `# Starting roster written by \`drover init\` for ${opts.runtime} agents. Edit freely, then run \`drover doctor\`.`,
    "# Keys and runtimes: packages/core/src/runtimes/README.md in Drover. Never put an API key here: export it",
    "# for the runner, log in with the CLI, or keep it as a Drover secret.",
  ];
  if (opts.baseBranch) lines.push(`base_branch = ${q(opts.baseBranch)}`);
  lines.push(
    opts.gates.length
      ? `gates = ${list(opts.gates)}`
      : '# No test command found: list yours so a story moves on only when it passes, e.g. gates = ["npm test"]',
  );
  for (const a of AGENTS) {
    lines.push(
      "",
      "[[agent]]",
      `name = ${q(a.name)}`,
      `role = ${q(a.role)}`,
      `stage = ${q(a.stage)}`,
      `runtime = ${q(opts.runtime)}`,
      ...runtimeKeys(opts.runtime, a.stage),
    );
  }
  return `${lines.join("\n")}\n`;
}
