// Paths the runner derives from an agent's name: its runtime-state folder and the files its runtime
// asks to write there (settings). The roster parser allows only safe names, but an agent row written
// before that rule (or by hand) must still never place a folder or a file outside its root.
import path from "node:path";
import { containedPath } from "@drover/repo/contained-path";
import { WorktreeError } from "./worktree.ts";

/** `<stateRoot>/<projectId>-<agent>`, refused (path_escape) unless it stays inside stateRoot. */
export function runtimeStateDir(stateRoot: string, projectId: number, agentName: string): string {
  const dir = path.join(stateRoot, `${projectId}-${agentName}`);
  const real = containedPath(stateRoot, dir);
  if (!real)
    throw new WorktreeError(
      "path_escape",
      `Agent name "${agentName}" makes the runtime-state folder ${dir} leave ${stateRoot}; rename the agent (letters, digits, ".", "_", "-")`,
    );
  return real;
}

/** The real path of `file` when it lies inside one of `roots` once links are resolved; refused (path_escape) otherwise. */
export function containedIn(roots: string[], file: string): string {
  for (const root of roots) {
    const real = containedPath(root, file);
    if (real) return real;
  }
  throw new WorktreeError("path_escape", `Refusing to write ${file}: it is outside ${roots.join(" and ")}`);
}
