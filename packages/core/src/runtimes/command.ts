// The `command` runtime: an agent that is any program, defined by an argv list with {{variables}}.
// Its stdout lines are text events, unless a line is one of Drover's own JSON event lines
// ({"kind": "...", ...}), which passes through as that normalized event. Exit code 0 is success.
import { z } from "zod";
import { badRequest } from "../errors.ts";
import type { NormalizedEvent, RuntimeAdapter, SpawnPlan, SpawnRequest, StreamParser } from "./types.ts";

const VAR = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi;

/** Replaces {{name}} in one argv element; an unknown name is a config error, not an empty string. */
export function renderArg(arg: string, vars: Record<string, string>, agentName: string): string {
  return arg.replace(VAR, (_m, name: string) => {
    if (!(name in vars)) {
      throw badRequest(`Agent "${agentName}": unknown variable {{${name}}} in command; known: ${Object.keys(vars).sort().join(", ")}`);
    }
    return vars[name];
  });
}

const outcomes = ["success", "max_turns", "budget", "auth", "network", "api_error", "rate_limited", "resume_not_found", "other"] as const;

// Drover's own event lines, validated so a command cannot smuggle malformed events into the log.
const eventLine = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("init"), runtimeSessionId: z.string().optional(), model: z.string().optional(), tools: z.array(z.string()).optional() }),
  z.object({ kind: z.literal("text"), text: z.string() }),
  z.object({ kind: z.literal("thinking"), text: z.string() }),
  z.object({ kind: z.literal("tool_call"), id: z.string(), name: z.string(), input: z.unknown() }),
  z.object({ kind: z.literal("tool_result"), id: z.string(), ok: z.boolean(), output: z.string(), truncated: z.boolean().optional() }),
  z.object({
    kind: z.literal("usage"),
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    cacheReadTokens: z.number().int().nonnegative().optional(),
    cacheWriteTokens: z.number().int().nonnegative().optional(),
    costUsd: z.number().nonnegative().optional(),
    cumulative: z.boolean().optional(),
  }),
  z.object({ kind: z.literal("rate_limit"), level: z.enum(["warning", "hard"]), resetsAt: z.string().optional(), text: z.string().optional() }),
  z.object({ kind: z.literal("error"), text: z.string(), fatal: z.boolean().optional() }),
  z.object({
    kind: z.literal("result"),
    outcome: z.enum(outcomes),
    text: z.string().optional(),
    turns: z.number().int().nonnegative().optional(),
    costUsd: z.number().nonnegative().optional(),
    isError: z.boolean().optional(),
    errorText: z.string().optional(),
  }),
]);

function parseEventLine(line: string): NormalizedEvent | undefined {
  const t = line.trimStart();
  if (!t.startsWith("{")) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(t);
  } catch {
    return undefined;
  }
  const parsed = eventLine.safeParse(json);
  return parsed.success ? ({ ...parsed.data, raw: line } as NormalizedEvent) : undefined;
}

class CommandParser implements StreamParser {
  private sawResult = false;
  private lastText = "";

  line(line: string): NormalizedEvent[] {
    const ev = parseEventLine(line);
    if (ev) {
      if (ev.kind === "result") this.sawResult = true;
      return [ev];
    }
    if (line.trim()) this.lastText = line;
    return [{ kind: "text", text: line, raw: line }];
  }

  end(exit: { exitCode: number | null; signal?: string | null }): NormalizedEvent[] {
    if (this.sawResult) return [];
    // A command that ran to completion took one turn; its exit code is its verdict.
    const ok = exit.exitCode === 0;
    return [
      {
        kind: "result",
        outcome: ok ? "success" : "other",
        turns: 1,
        isError: !ok,
        text: this.lastText || undefined,
        errorText: ok ? undefined : exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.exitCode}`,
      },
    ];
  }
}

export const commandAdapter: RuntimeAdapter = {
  name: "command",
  plan(req: SpawnRequest): SpawnPlan {
    const argv = req.agent.command;
    if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== "string")) {
      throw badRequest(`Agent "${req.agent.name}" uses runtime "command" but has no command: set command = ["program", "arg", ...] in .drover/project.toml`);
    }
    const vars = { ...req.vars, prompt: req.prompt, resume_id: req.resumeId ?? "", session_dir: req.sessionDir, cwd: req.cwd };
    const [file, ...args] = argv.map((a) => renderArg(a, vars, req.agent.name));
    return {
      file,
      args,
      env: { ...(req.agent.env ?? {}), ...(req.resumeId ? { DROVER_RESUME_ID: req.resumeId } : {}) },
      // Prompts can be long: stdin, never argv (a command may still use {{prompt}} deliberately).
      stdin: req.prompt,
    };
  },
  parser: () => new CommandParser(),
};
