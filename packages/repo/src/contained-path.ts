// Containment of paths that Drover derives (worktrees, runtime state, settings files, exports) or
// reads from a repository: resolved through every symbolic link before the check, so a link can
// never carry a read or a write outside the folder it belongs to.
import fs from "node:fs";
import path from "node:path";
import { isStrictlyInside } from "@drover/core/paths";

/**
 * realpath of the deepest existing ancestor, plus the rest: where `p` will really be once created.
 * A dangling link counts as existing (writing through it would create its target), so realpath
 * throws ENOENT for it rather than the link being taken for a free name.
 */
export function realResolve(p: string): string {
  const abs = path.resolve(p);
  let head = abs;
  const rest: string[] = [];
  while (!fs.lstatSync(head, { throwIfNoEntry: false })) {
    rest.unshift(path.basename(head));
    const up = path.dirname(head);
    if (up === head) break;
    head = up;
  }
  return path.join(fs.realpathSync(head), ...rest);
}

/** The real path of `p` when it lies strictly inside `root` once links are resolved, else null. */
export function containedPath(root: string, p: string): string | null {
  try {
    const real = realResolve(p);
    return isStrictlyInside(realResolve(root), real) ? real : null;
  } catch {
    return null; // a dangling link, or a path component that is not a folder
  }
}
