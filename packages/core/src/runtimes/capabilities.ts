// What a runner can run, and the rule that decides whether it may take an agent's session. The
// runner detects its capabilities (apps/runner/src/runner/capabilities.ts) and records them on its
// row; claiming, the board's waiting reason and `drover doctor` all judge with the functions here.
// Only names of credential sources are ever recorded, never their values.
import { secretRefName } from "../config/secret-refs.ts";
import { credentialsOf } from "./credentials.ts";

export interface RuntimeCapability {
  /** The CLI's executable name. */
  cli: string;
  /** Where the CLI was found on PATH; null when it is missing. */
  path: string | null;
  /** What `<cli> --version` printed (first line), when it could be read. */
  version: string | null;
  /** Credential sources available to the runner, named: "env ANTHROPIC_API_KEY", "login ~/.claude/.credentials.json", "secret openai". */
  credentials: string[];
}

/** Per runtime (claude-code, codex, gemini); `command` needs no entry: it runs whatever the roster says. */
export type RunnerCapabilities = Record<string, RuntimeCapability>;

export type CapabilityProblem = "cli_missing" | "no_credential";

export type CanRun = { ok: true; credential: string | null } | { ok: false; problem: CapabilityProblem };

interface AgentNeeds {
  runtime: string;
  /** The roster entry's env (names matter; a value "secret:<name>" names a Drover secret). */
  env?: Record<string, string> | null;
}

/**
 * Whether a runner can decrypt a project's secret: it has the key the secret was stored with.
 * `secretKeyIds` maps the project's secret names to their key's fingerprint.
 */
export function secretDecrypter(runnerKeyId: string | null | undefined, secretKeyIds: ReadonlyMap<string, string>): (name: string) => boolean {
  return (name) => !!runnerKeyId && secretKeyIds.get(name) === runnerKeyId;
}

/**
 * Credential sources an agent's own roster entry provides: a key given in its `env`, or a Drover
 * secret it names that `canDecrypt` (unknown: counted) says the runner can decrypt.
 */
export function rosterCredentialSources(agent: AgentNeeds, canDecrypt: (name: string) => boolean = () => true): string[] {
  const decl = credentialsOf(agent.runtime);
  if (!decl || !agent.env) return [];
  const out: string[] = [];
  for (const k of decl.credentialEnv) {
    const v = agent.env[k];
    if (typeof v !== "string" || v === "") continue;
    const secret = secretRefName(v);
    if (secret === undefined) out.push(`roster env ${k}`);
    else if (canDecrypt(secret)) out.push(`secret ${secret} (roster ${k})`);
  }
  return out;
}

/**
 * Whether a runner with `caps` can run `agent`: its CLI is on PATH and a credential reaches it
 * (the runner's, or one the roster entry gives). `caps` null is a runner that records none (an
 * older version): it is trusted as before. `command` agents run anywhere.
 */
export function canRun(caps: RunnerCapabilities | null | undefined, agent: AgentNeeds, canDecrypt?: (name: string) => boolean): CanRun {
  if (!caps || !credentialsOf(agent.runtime)) return { ok: true, credential: null };
  const c = caps[agent.runtime];
  if (!c?.path) return { ok: false, problem: "cli_missing" };
  const credential = rosterCredentialSources(agent, canDecrypt)[0] ?? c.credentials[0] ?? null;
  if (!credential) return { ok: false, problem: "no_credential" };
  return { ok: true, credential };
}

const PROBLEM_TEXT: Record<CapabilityProblem, string> = { cli_missing: "CLI missing", no_credential: "no credential" };

/**
 * Why no live runner takes a session of `runtime`: "no runner can run codex: CLI missing on all
 * runners", or per runner when their problems differ. Null when some runner can run it.
 */
export function noCapableRunnerReason(runtime: string, verdicts: Array<{ runnerId: string; verdict: CanRun }>): string | null {
  if (verdicts.length === 0) return `no runner is running to run ${runtime}: start one with \`drover runner\``;
  if (verdicts.some((v) => v.verdict.ok)) return null;
  const problems = verdicts.map((v) => (v.verdict.ok ? null : v.verdict.problem));
  const first = problems[0]!;
  if (problems.every((p) => p === first)) return `no runner can run ${runtime}: ${PROBLEM_TEXT[first]} on all runners`;
  return `no runner can run ${runtime}: ${verdicts.map((v, i) => `${PROBLEM_TEXT[problems[i]!]} on ${v.runnerId}`).join(", ")}`;
}

/** The runtimes whose CLI a runner has (SQL filters claim candidates by these before judging credentials). */
export function runtimesWithCli(caps: RunnerCapabilities): string[] {
  return Object.entries(caps)
    .filter(([, c]) => c.path)
    .map(([r]) => r);
}
