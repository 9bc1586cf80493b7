// Gemini CLI's stream-json lines -> normalized events. Some failures (no key, unknown resume id)
// print nothing on stdout: the exit code and stderr tell them (41, 42, 53, HTTP status mod 256).
import { outcomeForStatus, outcomeForText, parseJsonObject, StderrTail, truncate, type Json } from "../shared.ts";
import type { NormalizedEvent, Outcome, StreamParser } from "../types.ts";

/** Gemini's documented exit codes; API errors exit with the HTTP status modulo 256. */
const EXIT: Record<number, Outcome> = {
  41: "auth",
  42: "resume_not_found",
  53: "max_turns",
  55: "other", // untrusted folder (we pass --skip-trust)
  144: "api_error", // 400
  145: "auth", // 401
  147: "auth", // 403
  173: "rate_limited", // 429
  244: "api_error", // 500
  247: "api_error", // 503
};

const NOISE = /^(YOLO mode is enabled|Warning: 256-color support|Ripgrep is not available|Loaded cached credentials)/;

export class GeminiParser implements StreamParser {
  private sawResult = false;
  private pendingText = "";
  private pendingRaw: string[] = [];
  private lastText = "";
  private turns = 0;
  private inModelTurn = false;
  private readonly tail = new StderrTail();

  line(line: string): NormalizedEvent[] {
    const j = parseJsonObject(line);
    if (!j) return [...this.flush(), ...(line.trim() ? [{ kind: "text" as const, text: line, raw: line }] : [])];
    if (j.type === "message" && j.role === "assistant") {
      this.modelTurn();
      // Deltas are merged into one text event; the raw lines are kept together.
      this.pendingText += j.content ?? "";
      this.pendingRaw.push(line);
      if (j.delta !== true) return this.flush();
      return [];
    }
    const evs = this.flush();
    for (const e of this.event(j)) evs.push({ ...e, raw: line });
    return evs;
  }

  stderr(line: string): void {
    // Banner lines Gemini prints on every run say nothing about a failure.
    if (NOISE.test(line)) return;
    this.tail.push(line);
  }

  private modelTurn(): void {
    if (!this.inModelTurn) this.turns++;
    this.inModelTurn = true;
  }

  private flush(): NormalizedEvent[] {
    if (!this.pendingRaw.length) return [];
    const ev: NormalizedEvent = { kind: "text", text: this.pendingText, raw: this.pendingRaw.join("\n") };
    if (this.pendingText.trim()) this.lastText = this.pendingText;
    this.pendingText = "";
    this.pendingRaw = [];
    return [ev];
  }

  private event(j: Json): NormalizedEvent[] {
    switch (j.type) {
      case "init":
        return [{ kind: "init", runtimeSessionId: j.session_id, model: j.model }];
      case "message":
        // The user's own prompt echoed back: not an event worth storing twice.
        return [];
      case "tool_use":
        this.modelTurn();
        return [{ kind: "tool_call", id: j.tool_id, name: j.tool_name, input: j.parameters ?? {} }];
      case "tool_result": {
        this.inModelTurn = false;
        const ok = j.status === "success";
        const out = typeof j.output === "string" ? j.output : j.output !== undefined ? JSON.stringify(j.output) : "";
        const text = ok ? out : [out, j.error?.message].filter(Boolean).join("\n");
        return [{ kind: "tool_result", id: j.tool_id, ok, ...truncate(text) }];
      }
      case "error":
        return [{ kind: "error", text: j.message ?? JSON.stringify(j) }];
      case "result":
        return this.result(j);
      default:
        return [];
    }
  }

  private result(j: Json): NormalizedEvent[] {
    this.sawResult = true;
    const s = j.stats ?? {};
    const cached = s.cached ?? 0;
    const evs: NormalizedEvent[] = [
      {
        kind: "usage",
        inputTokens: Math.max(0, (s.input_tokens ?? 0) - cached),
        outputTokens: s.output_tokens ?? 0,
        cacheReadTokens: cached,
        cumulative: true,
      },
    ];
    if (j.status === "success") {
      evs.push({ kind: "result", outcome: "success", text: this.lastText || undefined, turns: this.turns, isError: false });
      return evs;
    }
    const message: string = j.error?.message ?? "Gemini CLI reported an error";
    const outcome = geminiErrorOutcome(j.error?.type, message);
    if (outcome === "rate_limited") {
      evs.unshift({ kind: "rate_limit", level: "hard", resetsAt: retryAfter(message, j.timestamp), text: message });
    }
    evs.push({ kind: "result", outcome, text: this.lastText || undefined, turns: this.turns, isError: true, errorText: message });
    return evs;
  }

  end(exit: { exitCode: number | null; signal?: string | null }): NormalizedEvent[] {
    const evs = this.flush();
    if (this.sawResult) return evs;
    const words = this.tail.text();
    const code = exit.exitCode ?? -1;
    const outcome: Outcome = code === 0 ? "success" : (EXIT[code] ?? (words ? outcomeForText(words) : "other"));
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
    evs.push({
      kind: "result",
      outcome,
      turns: this.turns,
      isError: outcome !== "success",
      text: this.lastText || undefined,
      errorText: outcome === "success" ? undefined : `Gemini CLI ${how}${words ? `: ${words}` : ""}`,
    });
    return evs;
  }
}

/** "[API Error: {"error":{"code":401,...}}]" carries the HTTP status; otherwise judge the words. */
function geminiErrorOutcome(type: string | undefined, message: string): Outcome {
  if (type === "FatalTurnLimitedError") return "max_turns";
  if (type === "FatalAuthenticationError") return "auth";
  const code = /"code"\s*:\s*(\d{3})/.exec(message)?.[1];
  return outcomeForStatus(code ? Number(code) : undefined) ?? outcomeForText(message);
}

/** "Suggested retry after 3600s." -> reset time from the event's timestamp. */
export function retryAfter(message: string, timestamp?: string): string | undefined {
  const m = /retry (?:after|in) ([\d.]+)\s*(ms|s)\b/i.exec(message);
  if (!m) return undefined;
  const base = timestamp ? Date.parse(timestamp) : Date.now();
  const ms = Number(m[1]) * (m[2].toLowerCase() === "ms" ? 1 : 1000);
  return new Date((Number.isNaN(base) ? Date.now() : base) + ms).toISOString();
}
