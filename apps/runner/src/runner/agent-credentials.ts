// An agent's credentials: the roster's env with its secret references resolved, the runner's own
// credential variables for this runtime (core/runtimes/agent-env.ts says the precedence), the
// runner user's CLI logins linked into the agent's state folder, and the values to mask in its output.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { secretRefs } from "@drover/core/config/secret-refs";
import { agentEnv, type EnvSource } from "@drover/core/runtimes/agent-env";
import { credentialsOf } from "@drover/core/runtimes/credentials";
import { loginFileSecrets } from "@drover/core/runtimes/secret-mask";
import type { AgentSpec } from "@drover/core/runtimes/types";
import type { Db } from "@drover/db";
import { readSecretKey, resolveSecrets } from "@drover/db/secrets/index";
import { containedIn } from "./state-paths.ts";

export interface AgentCredentials {
  env: Record<string, string>;
  sources: Record<string, EnvSource>;
  /** Login files of this runtime the runner's user has (relative to its home). */
  logins: string[];
  sensitive: string[];
}

/** The runner user's home: where `claude login`, `codex login` and Gemini's login put their files. */
export const runnerHome = (runnerEnv: NodeJS.ProcessEnv) => runnerEnv.HOME || os.homedir();

export async function agentCredentials(db: Db, projectId: number, spec: AgentSpec, runnerEnv: NodeJS.ProcessEnv): Promise<AgentCredentials> {
  const names = secretRefs([{ name: spec.name, env: spec.env }]).map((r) => r.secret);
  // The key is read only when a secret is used: a runner without secrets needs none.
  const secrets = names.length ? await resolveSecrets(db, readSecretKey({ env: runnerEnv }), projectId, names) : new Map<string, string>();
  const res = agentEnv({ runtime: spec.runtime, rosterEnv: spec.env, runnerEnv, secrets });
  const home = runnerHome(runnerEnv);
  const logins = (credentialsOf(spec.runtime)?.loginFiles ?? []).filter((f) => isFile(path.join(home, f)));
  const sensitive = [...res.sensitive];
  for (const f of logins) {
    try {
      sensitive.push(...loginFileSecrets(JSON.parse(fs.readFileSync(path.join(home, f), "utf8"))));
    } catch {
      // Not JSON (or unreadable): the CLI will say so itself; nothing to mask from it.
    }
  }
  return { env: res.env, sources: res.sources, logins, sensitive };
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Links the runner user's login files into the CLI's state folder (`links`: place there → file
 * relative to home). A link, not a copy: the CLI refreshes tokens and rewrites the file, and the
 * user's next `login` reaches every agent. A link to a login that is gone is removed.
 */
export function linkLogins(links: Record<string, string>, stateDir: string, runnerEnv: NodeJS.ProcessEnv): string[] {
  const home = runnerHome(runnerEnv);
  const linked: string[] = [];
  for (const [place, rel] of Object.entries(links)) {
    // The folder must stay inside the state folder; the link itself points out of it, on purpose.
    const dir = containedIn([stateDir], path.join(path.dirname(place), "x"));
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const dest = path.join(path.dirname(dir), path.basename(place));
    const source = path.join(home, rel);
    let current: string | undefined;
    try {
      current = fs.readlinkSync(dest);
    } catch {
      current = undefined; // absent, or a regular file (a CLI may have replaced the link when it rewrote it)
    }
    if (!isFile(source)) {
      if (current !== undefined) fs.rmSync(dest, { force: true });
      continue;
    }
    if (current !== source) {
      fs.rmSync(dest, { force: true });
      fs.symlinkSync(source, dest);
    }
    linked.push(rel);
  }
  return linked;
}

/** One status line: where each credential variable came from and which logins are linked (never values). */
export function describeCredentials(c: AgentCredentials, linked: string[]): string | undefined {
  const vars = Object.entries(c.sources)
    .filter(([k]) => /KEY|TOKEN|CREDENTIALS|BASE_URL/.test(k))
    .map(([k, s]) => `${k} from ${s === "runner" ? "the runner's environment" : s === "secret" ? "a Drover secret" : "the roster"}`);
  const parts = [...vars, ...linked.map((f) => `login ~/${f} linked`)];
  return parts.length ? `Credentials: ${parts.join(", ")}` : undefined;
}
