// The agent's environment: an allow-list of the runner's variables, the session's private HOME and
// TMPDIR, Drover's own variables, then the agent's env and the adapter's. Variables that make a
// CLI think it runs inside another agent (CLAUDECODE ...) never pass.
const ALLOW = [
  "PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TERM", "TZ", "USER", "LOGNAME", "SHELL",
  "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR",
  "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
];
const STRIP = new Set(["CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT", "CLAUDE_CODE_SSE_PORT", "NODE_OPTIONS", "DATABASE_URL"]);

export function buildAgentEnv(opts: {
  base?: NodeJS.ProcessEnv;
  home: string;
  tmp: string;
  drover: Record<string, string>;
  agentEnv?: Record<string, string>;
  planEnv?: Record<string, string>;
}): Record<string, string> {
  const base = opts.base ?? process.env;
  const env: Record<string, string> = {};
  for (const k of ALLOW) if (base[k] !== undefined) env[k] = base[k]!;
  env.HOME = opts.home;
  env.TMPDIR = opts.tmp;
  Object.assign(env, opts.drover, opts.agentEnv ?? {}, opts.planEnv ?? {});
  for (const k of STRIP) delete env[k];
  return env;
}
