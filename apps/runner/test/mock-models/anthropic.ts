// Mock of Anthropic's POST /v1/messages (SSE streaming and plain JSON), as Claude Code uses it.
import { json, sse, type Handler } from "./respond.ts";
import { chunks, offeredTool, type Reply } from "./script.ts";

let seq = 0;

export const anthropicHandler: Handler = ({ res, path, body, script, record }) => {
  if (!path.startsWith("/v1/messages")) {
    record(false, -1);
    // count_tokens and other side endpoints: answer something harmless.
    if (path.includes("count_tokens")) return json(res, 200, { input_tokens: 10 });
    return json(res, 404, { type: "error", error: { type: "not_found_error", message: `mock: no route ${path}` } });
  }
  const main = Array.isArray(body?.tools) && body.tools.length > 0;
  const { reply, index } = main ? script.take() : { reply: { kind: "text", text: "Mock side reply." } as Reply, index: -1 };
  record(main, index);
  const model = body?.model ?? "claude-mock";

  if (reply.kind === "hang") return;
  if (reply.kind === "http") {
    const headers: Record<string, string> = {};
    if (reply.resetSeconds !== undefined) {
      const reset = Math.floor(Date.now() / 1000) + reply.resetSeconds;
      headers["retry-after"] = String(reply.resetSeconds);
      headers["anthropic-ratelimit-unified-status"] = "rejected";
      headers["anthropic-ratelimit-unified-reset"] = String(reset);
      headers["anthropic-ratelimit-unified-representative-claim"] = "five_hour";
      headers["anthropic-ratelimit-unified-5h-status"] = "rejected";
      headers["anthropic-ratelimit-unified-5h-reset"] = String(reset);
      headers["anthropic-ratelimit-unified-5h-utilization"] = "1.0";
    }
    const type =
      reply.status === 401
        ? "authentication_error"
        : reply.status === 429
          ? "rate_limit_error"
          : reply.status === 400
            ? "invalid_request_error"
            : reply.status === 529
              ? "overloaded_error"
              : "api_error";
    return json(res, reply.status, { type: "error", error: { type, message: reply.message ?? `mock ${type}` } }, headers);
  }

  const blocks: Array<
    { type: "thinking"; thinking: string } | { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown }
  > = [];
  if (reply.kind === "text" && reply.thinking) blocks.push({ type: "thinking", thinking: reply.thinking });
  if (reply.kind === "text") blocks.push({ type: "text", text: reply.text });
  if (reply.kind === "write") {
    if (reply.text) blocks.push({ type: "text", text: reply.text });
    blocks.push({ type: "tool_use", id: `toolu_mock${++seq}`, name: "Write", input: { file_path: reply.path, content: reply.content } });
  }
  if (reply.kind === "read") {
    blocks.push({ type: "tool_use", id: `toolu_mock${++seq}`, name: "Read", input: { file_path: reply.path } });
  }
  if (reply.kind === "shell") {
    if (reply.text) blocks.push({ type: "text", text: reply.text });
    blocks.push({ type: "tool_use", id: `toolu_mock${++seq}`, name: "Bash", input: { command: reply.command, description: "mock shell command" } });
  }
  if (reply.kind === "tool") {
    if (reply.text) blocks.push({ type: "text", text: reply.text });
    const offered = ((body?.tools ?? []) as { name: string }[]).map((t) => t.name);
    blocks.push({ type: "tool_use", id: `toolu_mock${++seq}`, name: offeredTool(offered, reply.name), input: reply.input });
  }
  const stopReason = blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn";
  const usage = { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 50, cache_creation_input_tokens: 10 };
  const id = `msg_mock${++seq}`;

  if (body?.stream !== true) {
    return json(res, 200, { id, type: "message", role: "assistant", model, content: blocks, stop_reason: stopReason, stop_sequence: null, usage });
  }
  const rl = (reply.kind === "text" || reply.kind === "write") && reply.rateLimit;
  const rlHeaders: Record<string, string> = {};
  if (rl) {
    const reset = String(Math.floor(Date.now() / 1000) + rl.resetSeconds);
    Object.assign(rlHeaders, {
      "anthropic-ratelimit-unified-status": rl.status,
      "anthropic-ratelimit-unified-reset": reset,
      "anthropic-ratelimit-unified-representative-claim": "five_hour",
      "anthropic-ratelimit-unified-5h-status": rl.status,
      "anthropic-ratelimit-unified-5h-reset": reset,
      "anthropic-ratelimit-unified-5h-utilization": "0.95",
      "anthropic-ratelimit-unified-5h-surpassed-threshold": "0.9",
    });
  }
  const s = sse(res, 200, rlHeaders);
  s.event("message_start", {
    type: "message_start",
    message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
  });
  blocks.forEach((b, i) => {
    if (b.type === "thinking") {
      s.event("content_block_start", { type: "content_block_start", index: i, content_block: { type: "thinking", thinking: "" } });
      for (const c of chunks(b.thinking))
        s.event("content_block_delta", { type: "content_block_delta", index: i, delta: { type: "thinking_delta", thinking: c } });
      s.event("content_block_delta", { type: "content_block_delta", index: i, delta: { type: "signature_delta", signature: "mock-signature" } });
    } else if (b.type === "text") {
      s.event("content_block_start", { type: "content_block_start", index: i, content_block: { type: "text", text: "" } });
      for (const c of chunks(b.text)) s.event("content_block_delta", { type: "content_block_delta", index: i, delta: { type: "text_delta", text: c } });
    } else {
      s.event("content_block_start", { type: "content_block_start", index: i, content_block: { type: "tool_use", id: b.id, name: b.name, input: {} } });
      for (const c of chunks(JSON.stringify(b.input), 20))
        s.event("content_block_delta", { type: "content_block_delta", index: i, delta: { type: "input_json_delta", partial_json: c } });
    }
    s.event("content_block_stop", { type: "content_block_stop", index: i });
  });
  s.event("message_delta", { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  s.event("message_stop", { type: "message_stop" });
  s.end();
};
