// What the web may see of a project or agent: env values in a roster (API keys, tokens) are
// replaced by a mask, in the parsed config and in the raw TOML text alike; the names stay. Every
// procedure that returns a project, roster or agent passes it through here.
import { parseTOML } from "toml-eslint-parser";
import type { AST } from "toml-eslint-parser";

const MASKED = "(hidden)";

type Env = Record<string, unknown>;

function maskEnv(env: unknown): unknown {
  if (!env || typeof env !== "object" || Array.isArray(env)) return env === undefined ? undefined : MASKED;
  return Object.fromEntries(Object.keys(env as Env).map((k) => [k, MASKED]));
}

/** An agent's roster entry (Agent.config) with env values masked. */
function redactAgentConfig<T>(config: T): T {
  if (!config || typeof config !== "object" || !("env" in config)) return config;
  return { ...config, env: maskEnv((config as { env: unknown }).env) } as T;
}

/** A project's parsed config (Project.config) with every agent's env values masked. */
function redactProjectConfig<T>(config: T): T {
  if (!config || typeof config !== "object" || !Array.isArray((config as { agent?: unknown }).agent)) return config;
  const c = config as T & { agent: unknown[] };
  return { ...c, agent: c.agent.map(redactAgentConfig) } as T;
}

/** Same text with a mask where a value was, keeping its line breaks so line numbers still match. */
function maskRange(text: string, start: number, end: number): string {
  const breaks = text.slice(start, end).split("\n").length - 1;
  return `"${MASKED}"${"\n".repeat(breaks)}`;
}

function keyNames(keys: AST.TOMLKey["keys"]): string[] {
  return keys.map((k) => (k.type === "TOMLBare" ? k.name : k.value));
}

/** Value ranges of every key under an `env` table, wherever it is spelled (inline, dotted, [x.env]). */
function envValueRanges(ast: AST.TOMLProgram): [number, number][] {
  const out: [number, number][] = [];
  const visit = (kv: AST.TOMLKeyValue, prefix: (string | number)[]) => {
    const pathHere = [...prefix, ...keyNames(kv.key.keys)];
    if (kv.value.type === "TOMLInlineTable") {
      for (const inner of kv.value.body) visit(inner, pathHere);
    } else if (pathHere.includes("env")) {
      out.push(kv.value.range);
    }
  };
  for (const top of ast.body) {
    for (const node of top.body) {
      if (node.type === "TOMLKeyValue") visit(node, []);
      else for (const kv of node.body) visit(kv, node.resolvedKey);
    }
  }
  return out;
}

/**
 * The raw roster TOML with env values masked. A file that does not parse cannot be read
 * reliably, so every value after `=` is masked instead (keys and line numbers stay, for the
 * error display).
 */
function redactConfigText(text: string | null): string | null {
  if (text === null) return null;
  // A storkit tree's text is project.toml and agents.toml joined by a marker line (repo-config.ts):
  // each part is a TOML document of its own.
  const parts = text.split(FILE_MARKER);
  if (parts.length > 1) return parts.map((part, i) => (i % 2 ? part : redactToml(part))).join("");
  return redactToml(text);
}

const FILE_MARKER = /(\n# --- [^\n]* ---\n)/;

function redactToml(text: string): string {
  let ranges: [number, number][];
  try {
    ranges = envValueRanges(parseTOML(text));
  } catch {
    return text
      .split("\n")
      .map((line) => line.replace(/^(\s*[^#=[\s][^=]*=\s*)(\S.*)$/, `$1"${MASKED}"`))
      .join("\n");
  }
  let res = text;
  // Replace from the end so earlier offsets stay valid.
  for (const [start, end] of ranges.sort((a, b) => b[0] - a[0])) res = res.slice(0, start) + maskRange(res, start, end) + res.slice(end);
  return res;
}

/** A project as the web may see it. */
export function redactProject<P extends { config?: unknown; configText?: string | null; rosterText?: string | null }>(project: P): P {
  const out = { ...project };
  if ("config" in project) out.config = redactProjectConfig(project.config);
  if ("configText" in project) out.configText = redactConfigText(project.configText ?? null);
  if ("rosterText" in project) out.rosterText = redactConfigText(project.rosterText ?? null);
  return out;
}

/** An agent row as the web may see it. */
export function redactAgent<A extends { config?: unknown }>(agent: A): A {
  return "config" in agent ? { ...agent, config: redactAgentConfig(agent.config) } : agent;
}
