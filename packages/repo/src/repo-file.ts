// Reads one file of a repository (a roster, a story) safely: a repository, a clone or an agent's
// merged commit can carry symbolic links, so only a regular file that lies inside the repository
// once every link is resolved is read, and only up to a size limit. Errors say what to fix and
// never carry the content (or the target) of what was refused.
import fs from "node:fs";
import path from "node:path";
import { badRequest } from "@drover/core/errors";
import { containedPath } from "./contained-path.ts";

const MIB = 1024 * 1024;
/** Roster files (project.toml, agents.toml) and story files: far below this in practice. */
const REPO_FILE_MAX_BYTES = MIB;

function sizeText(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes} bytes`;
}

/**
 * The text of `<repoRoot>/<rel>`, or undefined when there is no such entry. Throws BAD_REQUEST when
 * the entry is a link leading outside the repository (or nowhere), not a regular file, or too big.
 * `what` names the file in errors ("roster", "story file").
 */
export function readRepoFile(repoRoot: string, rel: string, opts: { what: string; maxBytes?: number }): string | undefined {
  const max = opts.maxBytes ?? REPO_FILE_MAX_BYTES;
  const abs = path.join(repoRoot, rel);
  let entry: fs.Stats | undefined;
  try {
    entry = fs.lstatSync(abs, { throwIfNoEntry: false });
  } catch {
    entry = undefined; // a parent is a file: no such entry
  }
  if (!entry) return undefined;
  const real = containedPath(repoRoot, abs);
  if (!real) {
    throw badRequest(
      `${rel} is (or lies under) a symbolic link that leads outside the repository or nowhere; Drover reads a ${opts.what} only from a regular file inside the repository. Replace the link with the file itself.`,
      { file: rel },
    );
  }
  // O_NOFOLLOW: the last component cannot have become a link since the check; O_NONBLOCK: a FIFO
  // cannot hang the open (it is refused below as not a regular file).
  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw badRequest(`${rel}: cannot read the ${opts.what} (${(e as NodeJS.ErrnoException).code ?? "error"}); make it a readable regular file`, { file: rel });
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw badRequest(`${rel} is not a regular file; a ${opts.what} must be a regular file inside the repository`, { file: rel });
    if (st.size > max) {
      throw badRequest(`${rel} is ${st.size} bytes; a ${opts.what} may be at most ${sizeText(max)}. Make it smaller`, { file: rel, size: st.size, limit: max });
    }
    // Read at most max + 1 bytes: a file growing after fstat is still caught.
    const buf = Buffer.alloc(max + 1);
    let n = 0;
    while (n < buf.length) {
      const r = fs.readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    if (n > max)
      throw badRequest(`${rel} is over ${sizeText(max)}; a ${opts.what} may be at most ${sizeText(max)}. Make it smaller`, { file: rel, limit: max });
    return buf.subarray(0, n).toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}
