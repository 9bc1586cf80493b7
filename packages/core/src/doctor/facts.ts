// What `drover doctor` gathers (the repository from @drover/repo, runtimes from the runner's
// detection or the runners' rows, the database from @drover/db) before report.ts judges it.
import type { RunnerCapabilities } from "../runtimes/capabilities.ts";

export interface RepoHealth {
  /** `git --version`, null when git is missing. */
  gitVersion: string | null;
  repo: { ok: true; root: string; headBranch: string | null } | { ok: false; error: string };
  /** The identity an agent's commit gets (repository and system config only). */
  identity: { name: string | null; email: string | null } | null;
  baseBranch: { name: string; exists: boolean } | null;
  gates: Executable[];
  /** The first word of each `command` agent's command. */
  commands: Executable[];
  worktreeRoot: { path: string; writable: boolean } | null;
}

export interface Executable {
  command: string;
  ok: boolean;
  problem: "not_found" | "not_executable" | null;
}

export interface DatabaseHealth {
  ok: boolean;
  /** Why it is unreachable, or the migrations not applied yet. */
  error?: string;
  pendingMigrations?: string[];
}

export interface DoctorFacts {
  repo: RepoHealth;
  /** The roster as parsed, or its error (line and key). */
  roster:
    | {
        ok: true;
        file: string | null;
        agents: Array<{ name: string; runtime: string; command?: string[]; env?: Record<string, string> }>;
        /** False when the roster opted out of the sandbox (`sandbox = false`). */
        sandbox?: boolean;
      }
    | { ok: false; error: string };
  /** What this host lacks to start a sandbox (`missingSandboxTools`); omitted when not checked here. */
  sandboxMissing?: string[];
  /** Per command agent, the host paths its command names that its sandbox would not show. */
  hiddenCommandPaths?: Record<string, string[]>;
  /** Where agents would run: "this host", or each live runner. */
  hosts: Array<{ name: string; capabilities: RunnerCapabilities | null; secretKeyId: string | null }>;
  /** The project's Drover secrets and the fingerprint of the key each was stored with. */
  secretKeyIds: ReadonlyMap<string, string>;
  database: DatabaseHealth;
  /** The project as Drover knows it, when it has been added. */
  project: { id: number; name: string } | null;
}
