// Whether one path lies inside a folder, by path arithmetic only: callers resolve links first
// (see @drover/db/contained-path), so "a/../../x" or a sibling "root-2" never counts as inside.
import path from "node:path";

/** True when `p` is strictly below `root` (not `root` itself). Both should be absolute and resolved. */
export function isStrictlyInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
