// The one home for "the environment a child process of a run gets". Nothing a run starts (agent,
// setup, gate, teardown, git) inherits the runner's environment, which holds DATABASE_URL and
// whatever else the operator exported: each gets an allow-list of the runner's variables plus what
// the run itself defines. Variables that make a CLI think it runs inside another agent
// (CLAUDECODE ...) never pass.
const ALLOW = [
  "PATH",
  "LANG",
  "LANGUAGE",
  "LC_ALL",
  "LC_CTYPE",
  "LC_MESSAGES",
  "TERM",
  "TZ",
  "USER",
  "LOGNAME",
  "SHELL",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
];
const STRIP = new Set(["CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT", "CLAUDE_CODE_SSE_PORT", "NODE_OPTIONS", "DATABASE_URL"]);

function allowListed(base: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ALLOW) if (base[k] !== undefined) env[k] = base[k]!;
  return env;
}

function finish(env: Record<string, string>): Record<string, string> {
  for (const k of STRIP) delete env[k];
  return env;
}

/** An agent's (and its setup commands'): the session's private HOME and TMPDIR, Drover's variables, then the agent's env and the adapter's. */
export function buildAgentEnv(opts: {
  base?: NodeJS.ProcessEnv;
  home: string;
  tmp: string;
  drover: Record<string, string>;
  agentEnv?: Record<string, string>;
  planEnv?: Record<string, string>;
}): Record<string, string> {
  const env = allowListed(opts.base ?? process.env);
  env.HOME = opts.home;
  env.TMPDIR = opts.tmp;
  Object.assign(env, opts.drover, opts.agentEnv ?? {}, opts.planEnv ?? {});
  return finish(env);
}

/**
 * A gate's or a teardown command's (they run outside a session's folders): the same allow-list,
 * HOME and TMPDIR as locations only (a path is no secret; tools need a home for their caches), then `extra`.
 */
export function buildCommandEnv(opts: { base?: NodeJS.ProcessEnv; extra?: Record<string, string> } = {}): Record<string, string> {
  const base = opts.base ?? process.env;
  const env = allowListed(base);
  for (const k of ["HOME", "TMPDIR"]) if (base[k] !== undefined) env[k] = base[k]!;
  Object.assign(env, opts.extra ?? {});
  return finish(env);
}
