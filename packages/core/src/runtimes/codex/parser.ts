// Codex's `exec --json` lines -> normalized events. Codex has no turn limit and never exits when
// its server is unreachable (it keeps "Reconnecting..."), so this parser enforces both: it emits a
// result and a fatal error, and the runner must then stop the process group (see README).
import { outcomeForText, parseJsonObject, StderrTail, truncate, type Json } from "../shared.ts";
import type { NormalizedEvent, Outcome, StreamParser } from "../types.ts";

const TOOL_ITEMS = new Set(["command_execution", "file_change", "mcp_tool_call", "web_search"]);
const RECONNECTING = /^Reconnecting\b/i;

export interface CodexParserOptions {
  /** Tool rounds allowed before the run is stopped with outcome max_turns. */
  maxTurns?: number;
  /** Consecutive "Reconnecting..." errors before the run is declared a network failure. */
  maxReconnects?: number;
  /** The model asked for (Codex's stream does not name it). */
  model?: string;
}

export class CodexParser implements StreamParser {
  private sawResult = false;
  private lastText = "";
  private toolCalls = 0;
  private finalMessage = false;
  private reconnects = 0;
  private readonly started = new Set<string>();
  private readonly tail = new StderrTail();
  private readonly maxReconnects: number;

  constructor(private readonly opts: CodexParserOptions = {}) {
    this.maxReconnects = opts.maxReconnects ?? 3;
  }

  get turns(): number {
    return this.toolCalls + (this.finalMessage ? 1 : 0);
  }

  line(line: string): NormalizedEvent[] {
    const j = parseJsonObject(line);
    if (!j) return line.trim() ? [{ kind: "text", text: line, raw: line }] : [];
    return this.event(j).map((e) => ({ ...e, raw: line }));
  }

  stderr(line: string): void {
    this.tail.push(line);
  }

  private event(j: Json): NormalizedEvent[] {
    if (j.type !== "error") this.reconnects = 0;
    switch (j.type) {
      case "thread.started":
        return [{ kind: "init", runtimeSessionId: j.thread_id, ...(this.opts.model ? { model: this.opts.model } : {}) }];
      case "turn.started":
        return [];
      case "item.started":
        return this.itemStarted(j.item ?? {});
      case "item.updated":
        return [];
      case "item.completed":
        return this.itemCompleted(j.item ?? {});
      case "turn.completed":
        return this.turnCompleted(j);
      case "turn.failed":
        return this.failed(j.error?.message ?? "Codex turn failed");
      case "error":
        return this.error(String(j.message ?? "error"));
      default:
        return [];
    }
  }

  private toolCall(item: Json): NormalizedEvent {
    if (item.type === "command_execution") return { kind: "tool_call", id: item.id, name: "command_execution", input: { command: item.command } };
    if (item.type === "file_change") return { kind: "tool_call", id: item.id, name: "file_change", input: { changes: item.changes } };
    if (item.type === "mcp_tool_call") return { kind: "tool_call", id: item.id, name: `${item.server}/${item.tool}`, input: item.arguments ?? {} };
    return { kind: "tool_call", id: item.id, name: item.type, input: { query: item.query } };
  }

  private itemStarted(item: Json): NormalizedEvent[] {
    if (!TOOL_ITEMS.has(item.type)) return [];
    this.started.add(item.id);
    this.toolCalls++;
    const evs: NormalizedEvent[] = [this.toolCall(item)];
    if (this.opts.maxTurns !== undefined && this.toolCalls > this.opts.maxTurns && !this.sawResult) {
      this.sawResult = true;
      const text = `Turn limit reached: ${this.opts.maxTurns} tool turns (max_turns); Drover stops Codex, which has no turn limit of its own`;
      evs.push(
        { kind: "result", outcome: "max_turns", turns: this.toolCalls, isError: true, text: this.lastText || undefined, errorText: text },
        { kind: "error", text, fatal: true },
      );
    }
    return evs;
  }

  private itemCompleted(item: Json): NormalizedEvent[] {
    switch (item.type) {
      case "agent_message":
        this.lastText = item.text ?? "";
        return [{ kind: "text", text: item.text ?? "" }];
      case "reasoning":
        return [{ kind: "thinking", text: item.text ?? "" }];
      case "error":
        return [{ kind: "error", text: item.message ?? "error" }];
      case "todo_list":
        return [{ kind: "thinking", text: (item.items ?? []).map((t: Json) => `${t.completed ? "[x]" : "[ ]"} ${t.text}`).join("\n") }];
    }
    if (!TOOL_ITEMS.has(item.type)) return [];
    const evs: NormalizedEvent[] = this.started.has(item.id) ? [] : [this.toolCall(item)];
    if (!this.started.has(item.id)) this.toolCalls++;
    let ok = item.status === "completed";
    let output = "";
    if (item.type === "command_execution") {
      ok = ok && (item.exit_code === 0 || item.exit_code === undefined);
      output = item.aggregated_output ?? "";
      if (item.exit_code !== null && item.exit_code !== undefined && item.exit_code !== 0)
        output += `${output.endsWith("\n") || !output ? "" : "\n"}exit code ${item.exit_code}`;
    } else if (item.type === "file_change") {
      output = (item.changes ?? []).map((c: Json) => `${c.kind} ${c.path}`).join("\n");
    } else if (item.type === "mcp_tool_call") {
      output = item.error?.message ?? JSON.stringify(item.result ?? "");
      ok = ok && !item.error;
    } else output = item.query ?? "";
    evs.push({ kind: "tool_result", id: item.id, ok, ...truncate(output) });
    return evs;
  }

  private turnCompleted(j: Json): NormalizedEvent[] {
    const u = j.usage ?? {};
    const cached = u.cached_input_tokens ?? 0;
    const evs: NormalizedEvent[] = [
      {
        kind: "usage",
        // Cumulative over the thread (a resumed thread includes the earlier sessions' tokens).
        inputTokens: Math.max(0, (u.input_tokens ?? 0) - cached),
        outputTokens: u.output_tokens ?? 0,
        cacheReadTokens: cached,
        cacheWriteTokens: u.cache_write_input_tokens ?? 0,
        cumulative: true,
      },
    ];
    if (!this.sawResult) {
      this.sawResult = true;
      this.finalMessage = !!this.lastText;
      evs.push({ kind: "result", outcome: "success", text: this.lastText || undefined, turns: this.turns, isError: false });
    }
    return evs;
  }

  private failed(message: string): NormalizedEvent[] {
    if (this.sawResult) return [];
    this.sawResult = true;
    const outcome = outcomeForText(message);
    const evs: NormalizedEvent[] = [];
    if (outcome === "rate_limited") evs.push({ kind: "rate_limit", level: "hard", text: message });
    evs.push({ kind: "result", outcome, text: this.lastText || undefined, turns: this.turns, isError: true, errorText: message });
    return evs;
  }

  private error(message: string): NormalizedEvent[] {
    if (!RECONNECTING.test(message)) return [{ kind: "error", text: message }];
    this.reconnects++;
    const evs: NormalizedEvent[] = [{ kind: "error", text: message }];
    if (this.reconnects >= this.maxReconnects && !this.sawResult) {
      this.sawResult = true;
      const text = `Codex could not reach its model server (${this.reconnects} reconnect attempts): ${message}`;
      evs.push({ kind: "result", outcome: "network", turns: this.turns, isError: true, errorText: text }, { kind: "error", text, fatal: true });
    }
    return evs;
  }

  end(exit: { exitCode: number | null; signal?: string | null }): NormalizedEvent[] {
    if (this.sawResult) return [];
    const words = this.tail.text();
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
    const outcome: Outcome = exit.exitCode === 0 ? "success" : words ? outcomeForText(words) : "other";
    return [
      {
        kind: "result",
        outcome,
        turns: this.turns,
        isError: outcome !== "success",
        text: this.lastText || undefined,
        errorText: outcome === "success" ? undefined : `Codex ${how}${words ? `: ${words}` : ""}`,
      },
    ];
  }
}
