// Helpers shared by the agent-CLI adapters (Claude Code, Gemini CLI, Codex).
import { createHash } from "node:crypto";
import path from "node:path";
import type { NormalizedEvent, Outcome, SpawnRequest } from "./types.ts";

/** Tool outputs longer than this are cut in the event (the raw line keeps them whole). */
const MAX_TOOL_OUTPUT = 4000;

export function truncate(text: string, max = MAX_TOOL_OUTPUT): { output: string; truncated?: boolean } {
  if (text.length <= max) return { output: text };
  return { output: `${text.slice(0, max)}\n… [${text.length - max} more characters in the raw line]`, truncated: true };
}

/** A JSON object printed by a CLI or sent to a model API: untyped, each field checked where it is read. */
export type Json = Record<string, any>;

/** One stdout line as a JSON object, or undefined when it is not one (CLIs print stray text too). */
export function parseJsonObject(line: string): Json | undefined {
  const t = line.trim();
  if (!t.startsWith("{")) return undefined;
  try {
    const v = JSON.parse(t);
    return v && typeof v === "object" && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Text from a tool result's content (string, or a list of {type:"text", text} blocks). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((c) => (typeof c === "string" ? c : c && typeof c === "object" && typeof (c as Json).text === "string" ? (c as Json).text : JSON.stringify(c)))
      .join("\n");
  if (content === undefined || content === null) return "";
  return JSON.stringify(content);
}

/**
 * The folder where a runtime keeps its conversations, so a later session of the same agent can
 * --resume them: SpawnRequest.stateDir when the runner gives one, else a folder next to the
 * session folders per agent and per worktree root (agent names repeat across projects). HOME and
 * TMPDIR stay per session; only this folder is shared, and one agent runs one session at a time,
 * so nothing writes it concurrently.
 */
export function stateDir(req: SpawnRequest): string {
  if (req.stateDir) return req.stateDir;
  const safe = req.agent.name.replace(/[^A-Za-z0-9._-]/g, "_") || "agent";
  const where = createHash("sha256")
    .update(path.dirname(path.resolve(req.cwd)))
    .digest("hex")
    .slice(0, 10);
  return path.join(path.dirname(req.sessionDir), "runtime-state", `${safe}-${where}`);
}

/**
 * API retries for this agent: roster `api_retries`, else agent env DROVER_API_RETRIES.
 * Undefined keeps the CLI's own default (Claude retries for minutes by default).
 */
export function apiRetries(req: SpawnRequest): number | undefined {
  const fromRoster = req.agent.api_retries;
  const raw = fromRoster ?? req.agent.env?.DROVER_API_RETRIES;
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Outcome of an HTTP status reported by a CLI. */
export function outcomeForStatus(status: number | null | undefined): Outcome | undefined {
  if (!status) return undefined;
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return "rate_limited";
  if (status === 402) return "budget";
  return "api_error";
}

/** Outcome judged from a CLI's own error words, when it gives no status. */
export function outcomeForText(text: string): Outcome {
  const t = text.toLowerCase();
  if (/no (conversation|previous sessions?|rollout|session) found|session not found|could not find session|thread\/resume failed/.test(t))
    return "resume_not_found";
  if (/\b429\b|rate.?limit|too many requests|resource has been exhausted|resource_exhausted|quota/.test(t)) return "rate_limited";
  if (
    /\b40[13]\b|unauthori[sz]ed|unauthenticated|invalid api key|api key not valid|incorrect api key|not logged in|missing environment variable|must specify the \w+_api_key|authentication|permission_denied/.test(
      t,
    )
  )
    return "auth";
  if (
    /unable to connect|connection ?refused|econnrefused|fetch failed|failedtoopensocket|enotfound|network|connection failed|timed? ?out|socket hang up|error sending request/.test(
      t,
    )
  )
    return "network";
  if (/budget|spend limit|cost limit/.test(t)) return "budget";
  if (/max(imum)? (session )?turns|turn limit/.test(t)) return "max_turns";
  if (/api error|\b5\d\d\b|server error|internal error|overloaded|high demand/.test(t)) return "api_error";
  return "other";
}

/** Keeps the last few stderr lines so a synthesized result can quote the CLI's own words. */
export class StderrTail {
  private lines: string[] = [];
  constructor(private readonly max = 20) {}
  push(line: string): void {
    if (!line.trim()) return;
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
  /** The tail without stack-trace frames. */
  text(): string {
    return this.lines
      .filter((l) => !/^\s+at /.test(l))
      .join("\n")
      .trim();
  }
}

export function withRaw(events: NormalizedEvent[], raw: string): NormalizedEvent[] {
  return events.map((e) => ({ ...e, raw }));
}
