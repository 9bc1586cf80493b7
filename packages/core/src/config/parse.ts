// Parses .drover/project.toml (storkit's format) into a normalized ProjectConfig. Errors name the
// file, the key path and the fix; unknown keys are warnings and stay out of the result.
import { parse as parseToml, TomlError } from "smol-toml";
import { z } from "zod";
import { badRequest } from "../errors.ts";
import { tomlErrorPlace } from "./toml-error-place.ts";
import { TEMPLATE_VARS, unknownTemplateVars } from "../prompts/template.ts";
import { NETWORK_ENTRY, NETWORK_ENTRY_HINT } from "../runtimes/network.ts";
import { AGENT_STAGES, QA_MODES, RUNTIMES, type ParsedConfig, type ProjectConfig } from "./types.ts";

/** A gate runs at most this long unless the roster says otherwise. */
export const DEFAULT_GATE_TIMEOUT_SECS = 1200;
/** Full session events are kept this many days after a session finishes, then compacted (0 = forever). */
const DEFAULT_EVENT_RETENTION_DAYS = 30;

const nonEmpty = z.string().trim().min(1, { error: "must not be empty" });
const strList = z.array(z.string());
const posInt = z.number().int({ error: "must be a whole number" }).positive({ error: "must be greater than 0" });
const posNum = z.number().positive({ error: "must be greater than 0" });
const nonNegInt = z.number().int({ error: "must be a whole number" }).min(0, { error: "must be 0 or more" });
const nonNegNum = z.number().min(0, { error: "must be 0 or more" });
/** Where a sandboxed run may connect, besides its defaults: "host:port" entries. */
const networkAllow = z.array(z.string().trim().regex(NETWORK_ENTRY, { error: NETWORK_ENTRY_HINT }));

/** Agent names become parts of folder names (runtime state, settings files): a safe set only. */
const AGENT_NAME_MAX = 64;
const agentName = nonEmpty
  .max(AGENT_NAME_MAX, { error: `must be at most ${AGENT_NAME_MAX} characters` })
  .regex(/^[A-Za-z0-9._-]+$/, { error: `may contain only letters, digits, ".", "_" and "-" (it names folders), e.g. "coder-1"` })
  .refine((n) => n !== "." && n !== "..", { error: `must not be "." or ".."` });

const agentSchema = z.object({
  name: agentName,
  role: z.string().optional(),
  stage: z.enum(AGENT_STAGES, { error: `must be one of ${AGENT_STAGES.join(", ")}` }),
  runtime: z.enum(RUNTIMES, { error: `must be one of ${RUNTIMES.join(", ")}` }).default("claude-code"),
  model: nonEmpty.optional(),
  allowed_tools: strList.optional(),
  max_turns: posInt.optional(),
  max_budget_usd: posNum.optional(),
  prompt: z.string().optional(),
  system_prompt: z.string().optional(),
  permission_mode: nonEmpty.optional(),
  inactivity_timeout_secs: posInt.default(300),
  command: z.array(z.string()).min(1, { error: "must list the program and its arguments" }).optional(),
  env: z.record(z.string(), z.string()).optional(),
  network_allow: networkAllow.optional(),
  /** Drover's MCP tools for this agent (default on); `mcp = false` leaves the CLI without them. */
  mcp: z.boolean().optional(),
});

const componentSchema = z.object({
  name: nonEmpty,
  path: z.string().default("."),
  setup: strList.default([]),
  teardown: strList.default([]),
});

const priceSchema = z.object({
  input_per_mtok: nonNegNum,
  output_per_mtok: nonNegNum,
  cache_read_per_mtok: nonNegNum.optional(),
  cache_write_per_mtok: nonNegNum.optional(),
});

const projectSchema = z.object({
  base_branch: nonEmpty.optional(),
  default_qa: z.enum(QA_MODES, { error: `must be one of ${QA_MODES.join(", ")}` }).default("server"),
  default_coder_model: nonEmpty.optional(),
  max_coders: posInt.default(3),
  max_retries: nonNegInt.default(2),
  gates: strList.optional(),
  done_retention_secs: nonNegInt.default(14400),
  event_retention_days: nonNegInt.default(DEFAULT_EVENT_RETENTION_DAYS),
  copy_files: strList.default([]),
  worktree_root: nonEmpty.default(".drover/worktrees"),
  daily_budget_usd: posNum.optional(),
  keep_branches: z.boolean().default(false),
  gate_timeout_secs: posInt.default(DEFAULT_GATE_TIMEOUT_SECS),
  prices: z.record(z.string(), priceSchema).default({}),
  agent: z.array(agentSchema).default([]),
  component: z.array(componentSchema).default([]),
  sandbox: z.boolean().default(true),
  network_allow: networkAllow.default([]),
});

const KNOWN = {
  project: Object.keys(projectSchema.shape),
  agent: Object.keys(agentSchema.shape),
  component: Object.keys(componentSchema.shape),
  price: Object.keys(priceSchema.shape),
};

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Drops keys not in `known`, adding a warning for each. */
function pick(obj: Table, known: string[], where: string, file: string, warnings: string[]): Table {
  const out: Table = {};
  for (const [k, v] of Object.entries(obj)) {
    if (known.includes(k)) out[k] = v;
    else warnings.push(`${file}: ${where ? `${where}.` : ""}${k}: unknown key, ignored (known keys: ${known.join(", ")})`);
  }
  return out;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v instanceof Date) return "a date";
  if (isTable(v)) return "a table";
  if (typeof v === "string") return `"${v}"`;
  return String(v);
}

function pathText(path: PropertyKey[], root: Table): string {
  let s = "";
  for (const p of path) {
    if (typeof p === "number") s += `[${p}]`;
    else s += s ? `.${String(p)}` : String(p);
  }
  // Name the agent too: "agent[2] (reviewer).max_turns" is easier to find than an index.
  const [head, idx] = path;
  if ((head === "agent" || head === "component") && typeof idx === "number") {
    const entry = (root[head] as Table[] | undefined)?.[idx];
    const name = isTable(entry) && typeof entry.name === "string" && entry.name.trim() ? ` (${entry.name})` : "";
    s = s.replace(`${head}[${idx}]`, `${head}[${idx}]${name}`);
  }
  return s;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) v = isTable(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function issueText(issue: z.core.$ZodIssue, root: Table): string {
  const got = valueAt(root, issue.path);
  let msg = issue.message;
  if (issue.code === "invalid_type") {
    const expected = (issue as { expected?: string }).expected;
    msg =
      got === undefined
        ? `is required`
        : `must be ${expected === "array" ? "a list" : expected === "object" || expected === "record" ? "a table" : `a ${expected}`}`;
  }
  if (got === undefined && issue.code !== "invalid_type") msg = `is required; ${msg}`;
  // storkit's early configs had no stage; the role is never guessed from an agent's name.
  if (got === undefined && issue.path[0] === "agent" && issue.path[2] === "stage")
    msg += ` (set it explicitly: the role is never guessed from the agent's name)`;
  const gotText = got === undefined ? "" : ` (got ${describe(got)})`;
  return `${pathText(issue.path, root)}: ${msg}${gotText}`;
}

/** Parses and validates one project config file's text. Throws DomainError BAD_REQUEST. */
export function parseProjectConfig(text: string, file: string): ParsedConfig {
  let raw: Table;
  try {
    raw = parseToml(text) as Table;
  } catch (err) {
    const place = err instanceof TomlError ? tomlErrorPlace(text, err) : null;
    const where = place ? ` at line ${place.line}, column ${place.column}` : "";
    const first = place?.note ?? (err as Error).message.split("\n")[0];
    throw badRequest(`${file}: not valid TOML${where}: ${first}. Fix the syntax and reload.`, { file });
  }
  return normalizeProjectConfig(raw, file);
}

/** Parses a storkit agents.toml (only [[agent]] entries) into roster entries for mergeRoster. */
export function parseAgentsFile(text: string, file: string): ParsedConfig {
  return parseProjectConfig(text, file);
}

function normalizeProjectConfig(input: Table, file: string): ParsedConfig {
  const warnings: string[] = [];
  const raw: Table = { ...input };
  // storkit's early single-agent form: `[agent]` instead of `[[agent]]`.
  if (isTable(raw.agent)) {
    warnings.push(`${file}: agent: a single [agent] table is the legacy form; wrapped into the roster. Write it as [[agent]] to silence this.`);
    raw.agent = [raw.agent];
  }
  const picked = pick(raw, KNOWN.project, "", file, warnings);
  if (Array.isArray(picked.agent)) {
    picked.agent = picked.agent.map((a, i) => (isTable(a) ? pick(a, KNOWN.agent, `agent[${i}]`, file, warnings) : a));
  }
  if (Array.isArray(picked.component)) {
    picked.component = picked.component.map((c, i) => (isTable(c) ? pick(c, KNOWN.component, `component[${i}]`, file, warnings) : c));
  }
  if (isTable(picked.prices)) {
    picked.prices = Object.fromEntries(
      Object.entries(picked.prices).map(([m, p]) => [m, isTable(p) ? pick(p, KNOWN.price, `prices.${m}`, file, warnings) : p]),
    );
  }
  const res = projectSchema.safeParse(picked);
  if (!res.success) {
    const lines = res.error.issues.map((i) => issueText(i, picked));
    throw badRequest(`${file}: invalid config:\n  ${lines.join("\n  ")}`, { file, issues: lines });
  }
  const config = res.data as ProjectConfig;
  const problems: string[] = [];
  const seen = new Map<string, number>();
  config.agent.forEach((a, i) => {
    const prev = seen.get(a.name);
    if (prev !== undefined) problems.push(`agent[${i}].name: duplicate agent name "${a.name}" (also agent[${prev}]); give each agent a unique name`);
    else seen.set(a.name, i);
    if (a.runtime === "command" && !a.command)
      problems.push(
        `agent[${i}] (${a.name}).command: required for runtime "command"; list the program and its arguments, e.g. command = ["./bin/agent", "{{story_id}}"]`,
      );
    for (const key of ["prompt", "system_prompt"] as const) {
      const bad = a[key] ? unknownTemplateVars(a[key]!) : [];
      if (bad.length)
        problems.push(
          `agent[${i}] (${a.name}).${key}: unknown template variable ${bad.map((b) => `{{${b}}}`).join(", ")}; use only ${TEMPLATE_VARS.map((v) => `{{${v}}}`).join(", ")}`,
        );
    }
    const badCmd = (a.command ?? []).flatMap(unknownTemplateVars);
    if (badCmd.length)
      problems.push(
        `agent[${i}] (${a.name}).command: unknown template variable ${badCmd.map((b) => `{{${b}}}`).join(", ")}; use only ${TEMPLATE_VARS.map((v) => `{{${v}}}`).join(", ")}`,
      );
  });
  const comps = new Set<string>();
  config.component.forEach((c, i) => {
    if (comps.has(c.name)) problems.push(`component[${i}].name: duplicate component name "${c.name}"; give each component a unique name`);
    comps.add(c.name);
  });
  if (problems.length) throw badRequest(`${file}: invalid config:\n  ${problems.join("\n  ")}`, { file, issues: problems });
  return { config, warnings };
}

/** A storkit project keeps its roster in agents.toml: its [[agent]] entries replace project.toml's. */
export function mergeRoster(project: ParsedConfig, agents: ParsedConfig | undefined, agentsFile: string): ParsedConfig {
  if (!agents) return project;
  const warnings = [...project.warnings, ...agents.warnings];
  if (project.config.agent.length && agents.config.agent.length) {
    warnings.push(`${agentsFile}: agents are also declared in project.toml; the roster from ${agentsFile} is used`);
  }
  const roster = agents.config.agent.length ? agents.config.agent : project.config.agent;
  const names = new Set<string>();
  for (const a of roster) {
    if (names.has(a.name)) throw badRequest(`${agentsFile}: duplicate agent name "${a.name}"; give each agent a unique name`);
    names.add(a.name);
  }
  return { config: { ...project.config, agent: roster }, warnings };
}

/** The gate commands for a worktree: configured ones, else script/test when it exists. */
export function effectiveGates(config: Pick<ProjectConfig, "gates">, hasScriptTest: boolean): string[] {
  if (config.gates) return config.gates;
  return hasScriptTest ? ["script/test"] : [];
}

/** The defaults, as a config with no keys set parses. */
export function defaultProjectConfig(): ProjectConfig {
  return normalizeProjectConfig({}, "(defaults)").config;
}
