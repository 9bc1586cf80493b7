// Where each runtime's CLI finds its credentials: the environment variables that carry keys and
// endpoints, and the login files its own `login` command writes (relative to the user's home).
// The runner passes these variables to agents of that runtime only, links the login files into the
// agent's state folder, and reports (never the values) which of them it has.
import path from "node:path";

export interface RuntimeCredentials {
  /** The CLI's executable name, looked up on PATH. */
  cli: string;
  /** Variables that carry a credential or an endpoint, passed from the runner's environment. */
  env: readonly string[];
  /** Of `env`, the ones that are a credential by themselves (an endpoint alone is not). */
  credentialEnv: readonly string[];
  /** Login files the CLI's own login writes, relative to the runner user's home. */
  loginFiles: readonly string[];
  /**
   * The folder of the user's home that the CLI's state folder stands in for (CLAUDE_CONFIG_DIR
   * replaces ~/.claude, CODEX_HOME ~/.codex, GEMINI_CLI_HOME the home itself): a login file is
   * linked at the same place relative to the state folder.
   */
  configDir: string;
}

export const runtimeCredentials: Readonly<Record<string, RuntimeCredentials>> = {
  "claude-code": {
    cli: "claude",
    env: ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_BASE_URL"],
    credentialEnv: ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN"],
    loginFiles: [".claude/.credentials.json"],
    configDir: ".claude",
  },
  codex: {
    cli: "codex",
    env: ["OPENAI_API_KEY", "OPENAI_BASE_URL"],
    credentialEnv: ["OPENAI_API_KEY"],
    loginFiles: [".codex/auth.json"],
    configDir: ".codex",
  },
  gemini: {
    cli: "gemini",
    env: [
      "GEMINI_API_KEY",
      "GOOGLE_API_KEY",
      "GOOGLE_GEMINI_BASE_URL",
      "GOOGLE_GENAI_USE_VERTEXAI",
      "GOOGLE_CLOUD_PROJECT",
      "GOOGLE_CLOUD_LOCATION",
      "GOOGLE_APPLICATION_CREDENTIALS",
    ],
    credentialEnv: ["GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_APPLICATION_CREDENTIALS"],
    loginFiles: [".gemini/oauth_creds.json"],
    configDir: "",
  },
};

/** The declaration for a runtime, or undefined for `command` (it names its variables in the roster). */
export function credentialsOf(runtime: string): RuntimeCredentials | undefined {
  return runtimeCredentials[runtime];
}

/** Every runtime's credential and endpoint variables (what a `command` agent may name in its env). */
export const allCredentialVariables: ReadonlySet<string> = new Set(Object.values(runtimeCredentials).flatMap((c) => c.env));

/**
 * Where a runtime's login files go in its CLI's state folder (absolute) → the login file relative
 * to the runner user's home. The runner links each one that exists (a link, not a copy: the CLI
 * refreshes the tokens and rewrites the file).
 */
export function loginLinks(runtime: string, cliStateDir: string): Record<string, string> {
  const c = credentialsOf(runtime);
  if (!c) return {};
  return Object.fromEntries(c.loginFiles.map((f) => [path.join(cliStateDir, path.relative(c.configDir, f)), f]));
}
