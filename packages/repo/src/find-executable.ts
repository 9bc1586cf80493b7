// Where a command would be found: a name on PATH, or a path (relative to `cwd`) that must be an
// executable file. One home for "is this command there and runnable" (runner capabilities, doctor's gate check).
import fs from "node:fs";
import path from "node:path";
import which from "which";

export type ExecutableLookup = { ok: true; path: string } | { ok: false; problem: "not_found" | "not_executable" };

export function findExecutable(command: string, opts: { pathEnv?: string; cwd: string }): ExecutableLookup {
  if (command.includes("/")) {
    const abs = path.resolve(opts.cwd, command);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      return { ok: false, problem: "not_found" };
    }
    try {
      fs.accessSync(abs, fs.constants.X_OK);
    } catch {
      return { ok: false, problem: "not_executable" };
    }
    return st.isFile() ? { ok: true, path: abs } : { ok: false, problem: "not_executable" };
  }
  const found = which.sync(command, { path: opts.pathEnv ?? process.env.PATH ?? "", nothrow: true });
  return found ? { ok: true, path: found } : { ok: false, problem: "not_found" };
}
