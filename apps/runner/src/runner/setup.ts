// Before the first agent runs in a new worktree: copy the configured files (e.g. .env) from the
// main checkout, then run each component's setup commands in its folder (guarded, in the agent's allow-listed
// environment), output into the session log.
import fs from "node:fs";
import path from "node:path";
import { isStrictlyInside } from "@drover/core/paths";
import { containedPath } from "@drover/repo/contained-path";
import type { NormalizedEvent } from "@drover/core/runtimes/types";
import { runGuardedCommand } from "./guarded-command.ts";
import type { RunSandbox } from "../sandbox/policy.ts";

export interface ComponentSpec {
  name: string;
  path?: string;
  setup?: string[];
  teardown?: string[];
}

export class SetupError extends Error {}

function inside(base: string, rel: string, what: string): string {
  const p = path.resolve(base, rel);
  if (!isStrictlyInside(base, p)) throw new SetupError(`${what} "${rel}" is outside ${base}`);
  return p;
}

export function copyFiles(repoPath: string, wt: string, files: string[], emit: (e: NormalizedEvent) => void): void {
  for (const rel of files) {
    const from = inside(repoPath, rel, "copy_files entry");
    const to = inside(wt, rel, "copy_files entry");
    if (!fs.lstatSync(from, { throwIfNoEntry: false })) {
      emit({ kind: "setup", text: `copy_files: ${rel} not found in the main checkout; skipped` });
      continue;
    }
    // A link (or a folder above the entry) leading out of the repository is not copied: it would put
    // a host file into the agent's worktree.
    if (!containedPath(repoPath, from))
      throw new SetupError(`copy_files entry "${rel}" is a symbolic link leading outside ${repoPath}; copy a regular file instead`);
    if (!containedPath(wt, to)) throw new SetupError(`copy_files entry "${rel}" would be written outside the worktree ${wt} through a symbolic link`);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.cpSync(from, to, { recursive: true });
    emit({ kind: "setup", text: `copied ${rel}` });
  }
}

const TAIL = 4000;

/**
 * Setup commands come from the project's own config file (written by the repository's owner, like a
 * Makefile), so they run through `sh -c`; no story or agent text is ever part of them.
 */
export async function runSetup(opts: {
  wt: string;
  components: ComponentSpec[];
  env: Record<string, string>;
  timeoutMs: number;
  emit: (e: NormalizedEvent) => void;
  /** The agent's sandbox (setup runs as the agent would); unset when the project opted out. */
  sandbox?: RunSandbox;
}): Promise<void> {
  for (const c of opts.components) {
    for (const command of c.setup ?? []) {
      const cwd = c.path && path.normalize(c.path) !== "." ? inside(opts.wt, c.path, "component path") : opts.wt;
      opts.emit({ kind: "setup", text: `[${c.name}] $ ${command}`, command });
      let partial = "";
      const r = await runGuardedCommand(["sh", "-c", command], {
        cwd,
        env: opts.env,
        timeoutMs: opts.timeoutMs,
        tailChars: TAIL,
        ...(opts.sandbox ? { sandbox: opts.sandbox } : {}),
        onOutput: (chunk) => {
          partial += chunk;
          const lines = partial.split("\n");
          partial = lines.pop()!;
          for (const l of lines) opts.emit({ kind: "setup", text: l, command, raw: l });
        },
      });
      if (partial) opts.emit({ kind: "setup", text: partial, command, raw: partial });
      const code = r.exitCode;
      opts.emit({ kind: "setup", text: `[${c.name}] exit ${code ?? r.error ?? r.signal}`, command, exitCode: code ?? -1 });
      if (code !== 0) {
        const how = r.timedOut ? "timed out" : r.error ? r.error : code === null ? `killed by ${r.signal}` : `exit ${code}`;
        throw new SetupError(`Setup of component "${c.name}" failed (${command}: ${how}):\n${r.tail.trim()}`);
      }
    }
  }
}
