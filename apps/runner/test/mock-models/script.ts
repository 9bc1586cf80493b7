// What a scripted mock model answers, independent of the wire format of each API.
// Each model request consumes the next reply; when the script runs out the last reply repeats
// (so a `tool` reply at the end makes the model loop forever, for turn-limit tests).

export type Reply =
  /** Plain assistant text, streamed in a few chunks. */
  | { kind: "text"; text: string; thinking?: string; rateLimit?: RateLimitHint }
  /** Ask the CLI to write a file (each API maps it to its own write tool). */
  | { kind: "write"; path: string; content: string; text?: string; rateLimit?: RateLimitHint }
  /** Ask the CLI to run a harmless read-only tool (used to loop for turn limits). */
  | { kind: "read"; path: string }
  /** Ask the CLI to run a shell command with its shell tool (Bash, exec_command, run_shell_command). */
  | { kind: "shell"; command: string; text?: string }
  /** An HTTP error with the API's own error body. resetSeconds adds rate-limit reset headers. */
  | { kind: "http"; status: number; message?: string; resetSeconds?: number }
  /** Accept the request and never answer (the client must time out or be killed). */
  | { kind: "hang" }
  /** Call a tool the request offers by its own name or an MCP server's prefixed name (`mcp__drover__check_criterion`). */
  | { kind: "tool"; name: string; input: Record<string, unknown>; text?: string };

/** Rate-limit headers on a successful answer (status "allowed_warning" or "rejected"), reset in seconds. */
interface RateLimitHint {
  status: "allowed_warning" | "rejected";
  resetSeconds: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** True when the request carried tools (the agent loop, not a side call such as a title). */
  main: boolean;
  /** Which script reply answered it (-1 for side calls). */
  replyIndex: number;
}

export class Script {
  private next = 0;
  constructor(private readonly replies: Reply[]) {
    if (replies.length === 0) throw new Error("a mock model script needs at least one reply");
  }
  take(): { reply: Reply; index: number } {
    const index = Math.min(this.next, this.replies.length - 1);
    this.next++;
    return { reply: this.replies[index], index };
  }
  get consumed(): number {
    return this.next;
  }
}

/** Splits text into a few chunks so the CLIs see real deltas. */
export function chunks(text: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [""];
}

/** Every text block of a request body, flattened: lets tests assert the model saw earlier turns. */
export function requestText(body: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(body);
  return parts.join("\n");
}

/**
 * The name under which a request offers a tool: each CLI prefixes an MCP server's tools its own way
 * (Claude `mcp__drover__x`, Gemini `mcp_drover_x`). Fails loudly when absent.
 */
export function offeredTool(offered: string[], name: string): string {
  const hit = offered.find((t) => t === name || (t.includes("drover") && t.endsWith(`_${name}`)));
  if (!hit) throw new Error(`mock: the request offers no tool "${name}" (offered: ${offered.join(", ")})`);
  return hit;
}
