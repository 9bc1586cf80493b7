// Claude Code's stream-json lines -> normalized events. Claude reports auth, connection and HTTP
// failures as `subtype: "success"` with `is_error: true`: judge by is_error and
// api_error_status, never by the subtype alone.
import { contentText, outcomeForStatus, outcomeForText, parseJsonObject, StderrTail, truncate, withRaw, type Json } from "../shared.ts";
import type { NormalizedEvent, Outcome, StreamParser } from "../types.ts";

const STREAM_EVENT = '{"type":"stream_event",';

export class ClaudeParser implements StreamParser {
  private sawResult = false;
  private lastText = "";
  private lastError = "";
  private readonly tail = new StderrTail();

  line(line: string): NormalizedEvent[] {
    // Partial-message deltas, most of the lines in a busy stream, yield nothing (below): skip the parse.
    if (line.startsWith(STREAM_EVENT)) return [];
    const j = parseJsonObject(line);
    if (!j) return line.trim() ? [{ kind: "text", text: line, raw: line }] : [];
    return withRaw(this.event(j), line);
  }

  stderr(line: string): void {
    this.tail.push(line);
  }

  private event(j: Json): NormalizedEvent[] {
    switch (j.type) {
      case "system":
        return this.system(j);
      case "assistant":
        return this.assistant(j);
      case "user":
        return this.user(j);
      case "result":
        return this.result(j);
      case "rate_limit_event":
        return this.rateLimit(j.rate_limit_info ?? {});
      case "stream_event":
        // Partial deltas: the complete assistant message follows and carries the merged text.
        return [];
      default:
        return [];
    }
  }

  private system(j: Json): NormalizedEvent[] {
    if (j.subtype === "init") {
      return [{ kind: "init", runtimeSessionId: j.session_id, model: j.model, tools: Array.isArray(j.tools) ? j.tools : undefined }];
    }
    if (j.subtype === "api_retry") {
      const status = j.error_status ? ` (HTTP ${j.error_status})` : "";
      const text = `API request failed${status}: ${j.error ?? "error"}; retry ${j.attempt}/${j.max_retries} in ${Math.round(Number(j.retry_delay_ms ?? 0))} ms`;
      // A retried 429 is not a rate_limit event: those throttle the agent, and this one may pass.
      return [{ kind: "error", text }];
    }
    return [];
  }

  private assistant(j: Json): NormalizedEvent[] {
    const msg = j.message ?? {};
    const blocks: Json[] = Array.isArray(msg.content) ? msg.content : [];
    // Claude's own failure notices come as a synthetic assistant message with an `error` tag.
    if (msg.model === "<synthetic>" || j.error) {
      const text = blocks
        .map((b) => b.text ?? "")
        .join("\n")
        .trim();
      if (text) this.lastError = text;
      const evs: NormalizedEvent[] = [{ kind: "error", text: text || String(j.error ?? "error") }];
      if (j.error === "rate_limit") evs.push({ kind: "rate_limit", level: "hard", text });
      return evs;
    }
    const evs: NormalizedEvent[] = [];
    for (const b of blocks) {
      if (b.type === "text" && b.text) {
        this.lastText = b.text;
        evs.push({ kind: "text", text: b.text });
      } else if (b.type === "thinking" && b.thinking) evs.push({ kind: "thinking", text: b.thinking });
      else if (b.type === "redacted_thinking") evs.push({ kind: "thinking", text: "[redacted thinking]" });
      else if (b.type === "tool_use" || b.type === "server_tool_use") evs.push({ kind: "tool_call", id: b.id, name: b.name, input: b.input ?? {} });
    }
    return evs;
  }

  private user(j: Json): NormalizedEvent[] {
    const blocks: Json[] = Array.isArray(j.message?.content) ? j.message.content : [];
    return blocks
      .filter((b) => b.type === "tool_result")
      .map((b) => ({ kind: "tool_result" as const, id: b.tool_use_id, ok: b.is_error !== true, ...truncate(contentText(b.content)) }));
  }

  private rateLimit(info: Json): NormalizedEvent[] {
    if (!info.status || info.status === "allowed") return [];
    const resetsAt = typeof info.resetsAt === "number" ? new Date(info.resetsAt * (info.resetsAt < 1e12 ? 1000 : 1)).toISOString() : undefined;
    const what = [info.rateLimitType, info.utilization !== undefined ? `${Math.round(info.utilization * 100)}% used` : undefined].filter(Boolean).join(", ");
    return [
      { kind: "rate_limit", level: info.status === "rejected" ? "hard" : "warning", resetsAt, text: `Rate limit ${info.status}${what ? ` (${what})` : ""}` },
    ];
  }

  private result(j: Json): NormalizedEvent[] {
    this.sawResult = true;
    const u = j.usage ?? {};
    const costUsd = typeof j.total_cost_usd === "number" ? j.total_cost_usd : undefined;
    const usage: NormalizedEvent = {
      kind: "usage",
      inputTokens: u.input_tokens ?? 0,
      outputTokens: u.output_tokens ?? 0,
      cacheReadTokens: u.cache_read_input_tokens ?? 0,
      cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
      costUsd,
      cumulative: true,
    };
    const errors: string[] = Array.isArray(j.errors) ? j.errors.map(String) : [];
    const words = [typeof j.result === "string" ? j.result : "", ...errors].filter(Boolean).join("\n") || this.lastError;
    const outcome = claudeOutcome(j, words);
    const isError = j.is_error === true || outcome !== "success";
    const evs: NormalizedEvent[] = [];
    if (outcome === "rate_limited" && !this.lastError) evs.push({ kind: "rate_limit", level: "hard", text: words });
    evs.push(usage, {
      kind: "result",
      outcome,
      text: typeof j.result === "string" ? j.result : this.lastText || undefined,
      turns: typeof j.num_turns === "number" ? j.num_turns : undefined,
      costUsd,
      isError,
      errorText: isError ? words || `Claude Code ended with ${j.subtype}` : undefined,
    });
    return evs;
  }

  end(exit: { exitCode: number | null; signal?: string | null }): NormalizedEvent[] {
    if (this.sawResult) return [];
    const words = [this.lastError, this.tail.text()].filter(Boolean).join("\n");
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
    return [
      {
        kind: "result",
        outcome: exit.exitCode === 0 && !words ? "other" : outcomeForText(words),
        isError: true,
        text: this.lastText || undefined,
        errorText: `Claude Code ${how} without a result${words ? `: ${words}` : ""}`,
      },
    ];
  }
}

function claudeOutcome(j: Json, words: string): Outcome {
  switch (j.subtype) {
    case "error_max_turns":
      return "max_turns";
    case "error_max_budget_usd":
      return "budget";
    case "error_during_execution":
      // An unknown id, or one from another directory: the conversation cannot be found.
      return /no conversation found/i.test(words) ? "resume_not_found" : outcomeForText(words);
  }
  if (j.is_error !== true) return "success";
  return outcomeForStatus(j.api_error_status) ?? outcomeForText(words);
}
