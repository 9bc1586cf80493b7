// The credential part of an agent's environment, and which values must be masked in its output.
// Precedence (README "Credentials"): roster literal < runner environment < Drover secret.
// A runtime's own credential variables pass from the runner's environment to agents of that
// runtime only; a `command` agent gets one only when its roster env names that variable.
import { secretRefName } from "../config/secret-refs.ts";
import { allCredentialVariables, credentialsOf, runtimeCredentials } from "./credentials.ts";

export type EnvSource = "roster" | "runner" | "secret";

export interface AgentEnv {
  /** The agent's env: roster literals, then runner variables, then secrets. */
  env: Record<string, string>;
  /** Where each variable came from (never its value), for the log and doctor. */
  sources: Record<string, EnvSource>;
  /** Values that must never appear in stored or streamed output. */
  sensitive: string[];
}

const credentialVariables = new Set(Object.values(runtimeCredentials).flatMap((c) => c.credentialEnv));

export function agentEnv(opts: {
  runtime: string;
  rosterEnv?: Record<string, string>;
  runnerEnv: NodeJS.ProcessEnv;
  secrets: ReadonlyMap<string, string>;
}): AgentEnv {
  const roster = opts.rosterEnv ?? {};
  const env: Record<string, string> = {};
  const sources: Record<string, EnvSource> = {};
  const sensitive: string[] = [];
  for (const [k, v] of Object.entries(roster)) {
    if (secretRefName(v) !== undefined) continue;
    env[k] = v;
    sources[k] = "roster";
  }
  const carried = credentialsOf(opts.runtime)?.env ?? Object.keys(roster).filter((k) => allCredentialVariables.has(k));
  for (const k of carried) {
    const v = opts.runnerEnv[k];
    if (v === undefined || v === "") continue;
    env[k] = v;
    sources[k] = "runner";
  }
  for (const [k, v] of Object.entries(roster)) {
    const name = secretRefName(v);
    if (name === undefined) continue;
    const value = opts.secrets.get(name);
    if (value === undefined) throw new Error(`secret "${name}" was not resolved`); // the caller resolves every reference first
    env[k] = value;
    sources[k] = "secret";
    sensitive.push(value);
  }
  for (const k of Object.keys(env)) if (credentialVariables.has(k)) sensitive.push(env[k]!);
  return { env, sources, sensitive: [...new Set(sensitive)] };
}
