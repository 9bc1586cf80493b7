// Writes an exported project as a storkit tree (<dir>/.storkit/project.toml,
// <dir>/.storkit/work/<stage>/NNN_<kind>_<slug>.md); the files come from the data layer's exportPlan.
import fs from "node:fs";
import path from "node:path";
import { badRequest } from "@drover/core/errors";
import { containedPath } from "./contained-path.ts";

export function writeStorkitTree(dir: string, files: Record<string, string>, opts: { force?: boolean } = {}): { root: string } {
  const root = path.join(path.resolve(dir), ".storkit");
  if (fs.existsSync(path.join(root, "work")) && !opts.force) {
    throw badRequest(`${root}/work already exists; export into an empty folder, or pass --force to overwrite`);
  }
  // The folder may be a checkout carrying links (.storkit, a stage folder or a file linking
  // elsewhere): every write must land inside <dir>/.storkit once links are resolved.
  if (!containedPath(path.resolve(dir), root))
    throw badRequest(`${root} is a symbolic link that leads outside ${path.resolve(dir)}; remove it or export into another folder`);
  // Checked for every file before the first write, so a refusal leaves nothing half-exported.
  for (const rel of Object.keys(files)) {
    const abs = path.join(root, rel);
    if (!containedPath(root, abs) || fs.lstatSync(abs, { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw badRequest(`Refusing to write outside ${root}: ${rel} (or a folder above it) is a symbolic link; remove it or export into another folder`);
    }
  }
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    // O_NOFOLLOW: an existing link at the file's own name is refused (ELOOP), never written through.
    let fd: number;
    try {
      fd = fs.openSync(abs, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW, 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ELOOP")
        throw badRequest(`Refusing to write through the symbolic link ${abs}; remove it or export into another folder`);
      throw e;
    }
    try {
      fs.writeFileSync(fd, text);
    } finally {
      fs.closeSync(fd);
    }
  }
  return { root };
}
