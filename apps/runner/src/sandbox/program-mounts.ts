// A CLI installed outside the system folders (npm's global prefix under a home, a project's
// node_modules) must still run inside the sandbox: the folder it was installed into is shown
// read-only, and nothing else around it.
import fs from "node:fs";
import path from "node:path";

const SYSTEM = ["/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/opt/"];

/** The executable `file` resolves to on PATH (as given, or undefined when not found). */
export function onPath(file: string, envPath: string): string | undefined {
  if (file.includes("/")) return path.resolve(file);
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const p = path.join(dir, file);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {}
  }
  return undefined;
}

/** The outermost node_modules folder above `p`, else the folder `p` is in. */
function installFolder(p: string): string {
  const i = p.indexOf(`${path.sep}node_modules${path.sep}`);
  return i >= 0 ? p.slice(0, i + "/node_modules".length) : path.dirname(p);
}

/** The node_modules folders that a node_modules folder's packages link into (pnpm links them to its store). */
function linkedFolders(nodeModules: string): string[] {
  const out = new Set<string>();
  const scan = (dir: string, depth: number) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isSymbolicLink()) {
        let real: string;
        try {
          real = fs.realpathSync(p);
        } catch {
          continue; // a dangling link
        }
        if (real.includes(`${path.sep}node_modules${path.sep}`)) out.add(installFolder(real)); // a package store, not a workspace's sources
      } else if (depth === 0 && e.isDirectory() && e.name.startsWith("@")) scan(p, 1);
    }
  };
  try {
    scan(nodeModules, 0);
  } catch {}
  out.delete(nodeModules);
  return [...out];
}

/** Read-only folders that make `files` (looked up on PATH) and what they link to runnable in the sandbox. */
export function programMounts(files: string[], envPath: string): string[] {
  const out = new Set<string>();
  for (const file of files) {
    const found = onPath(file, envPath);
    if (!found || !fs.existsSync(found)) continue;
    for (const p of [found, fs.realpathSync(found)]) {
      if (SYSTEM.some((s) => p.startsWith(s))) continue; // the system is shown already
      const folder = installFolder(p);
      if (out.has(folder)) continue;
      out.add(folder);
      if (path.basename(folder) === "node_modules") for (const linked of linkedFolders(folder)) out.add(linked);
    }
  }
  return [...out];
}
