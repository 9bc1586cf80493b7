// Mock of OpenAI's POST /v1/responses (SSE), as Codex uses it through a custom model provider.
import { json, sse, type Handler } from "./respond.ts";
import { chunks, offeredTool, type Reply } from "./script.ts";

let seq = 0;

type Tool = { type?: string; name?: string; tools?: Tool[] };

/** Every tool name a request offers (a namespace's tools as `<namespace>__<tool>`). */
const toolNames = (tools: Tool[]): string[] =>
  tools.flatMap((t) => (t.type === "namespace" ? (t.tools ?? []).map((x) => `${t.name}__${x.name}`) : t.name ? [t.name] : []));

/** Codex offers apply_patch as a freeform (custom) tool or a function; fall back to its shell tool. */
function writeItem(tools: Tool[], path: string, content: string): Record<string, unknown> {
  const callId = `call_mock${++seq}`;
  const patch = `*** Begin Patch\n*** Add File: ${path}\n${content
    .split("\n")
    .map((l) => `+${l}`)
    .join("\n")}\n*** End Patch\n`;
  const ap = tools.find((t) => t.name === "apply_patch");
  if (ap?.type === "custom") return { type: "custom_tool_call", id: `ctc_${callId}`, call_id: callId, name: "apply_patch", input: patch, status: "completed" };
  if (ap)
    return {
      type: "function_call",
      id: `fc_${callId}`,
      call_id: callId,
      name: "apply_patch",
      arguments: JSON.stringify({ input: patch }),
      status: "completed",
    };
  return shellItem(tools, callId, `cat > '${path}' <<'EOF'\n${content}\nEOF`);
}

function shellItem(tools: Tool[], callId: string, script: string): Record<string, unknown> {
  const exec = tools.find((t) => t.name === "exec_command");
  if (exec)
    return {
      type: "function_call",
      id: `fc_${callId}`,
      call_id: callId,
      name: "exec_command",
      arguments: JSON.stringify({ cmd: script }),
      status: "completed",
    };
  return {
    type: "function_call",
    id: `fc_${callId}`,
    call_id: callId,
    name: "shell",
    arguments: JSON.stringify({ command: ["bash", "-lc", script] }),
    status: "completed",
  };
}

/** A call of an MCP tool: Codex offers a server's tools in a namespace (`mcp__drover`), called by namespace and name. */
function mcpCall(tools: Tool[], name: string, input: unknown): Record<string, unknown> {
  const callId = `call_mock${++seq}`;
  const full = offeredTool(toolNames(tools), name);
  const ns = tools.find((t) => t.type === "namespace" && full.startsWith(`${t.name}__`));
  const call = ns ? { name: full.slice(ns.name!.length + 2), namespace: ns.name } : { name: full };
  return { type: "function_call", id: `fc_${callId}`, call_id: callId, ...call, arguments: JSON.stringify(input), status: "completed" };
}

export const openaiHandler: Handler = ({ res, path, body, script, record }) => {
  if (!path.startsWith("/v1/responses") && !path.startsWith("/responses")) {
    record(false, -1);
    if (path.includes("/models")) return json(res, 200, { object: "list", data: [], models: [] });
    return json(res, 404, { error: { message: `mock: no route ${path}`, type: "invalid_request_error" } });
  }
  const tools: Tool[] = Array.isArray(body?.tools) ? body.tools : [];
  const main = tools.length > 0;
  const { reply, index } = main ? script.take() : { reply: { kind: "text", text: "Mock side reply." } as Reply, index: -1 };
  record(main, index);

  if (reply.kind === "hang") return;
  if (reply.kind === "http") {
    const headers: Record<string, string> = {};
    if (reply.resetSeconds !== undefined) {
      headers["retry-after"] = String(reply.resetSeconds);
      headers["x-ratelimit-reset-requests"] = `${reply.resetSeconds}s`;
      headers["x-codex-primary-used-percent"] = "100";
      headers["x-codex-primary-window-minutes"] = "300";
      headers["x-codex-primary-reset-after-seconds"] = String(reply.resetSeconds);
    }
    const type = reply.status === 401 ? "invalid_request_error" : reply.status === 429 ? "rate_limit_exceeded" : "server_error";
    const code = reply.status === 401 ? "invalid_api_key" : reply.status === 429 ? "rate_limit_exceeded" : "server_error";
    return json(res, reply.status, { error: { message: reply.message ?? `mock ${code}`, type, code, param: null } }, headers);
  }

  const respId = `resp_mock${++seq}`;
  const items: Record<string, unknown>[] = [];
  const text = reply.kind === "text" || reply.kind === "write" || reply.kind === "shell" || reply.kind === "tool" ? reply.text : undefined;
  // Before the stream starts: an unknown tool name fails the request with a readable error.
  const toolCall = reply.kind === "tool" ? mcpCall(tools, reply.name, reply.input) : undefined;
  const s = sse(res);
  const response = (status: string, extra: Record<string, unknown> = {}) => ({
    id: respId,
    object: "response",
    status,
    model: body?.model,
    output: [],
    ...extra,
  });
  s.event("response.created", { type: "response.created", response: response("in_progress") });
  if (text) {
    const msgId = `msg_mock${++seq}`;
    s.event("response.output_item.added", {
      type: "response.output_item.added",
      output_index: items.length,
      item: { type: "message", id: msgId, role: "assistant", status: "in_progress", content: [] },
    });
    for (const c of chunks(text))
      s.event("response.output_text.delta", { type: "response.output_text.delta", item_id: msgId, output_index: items.length, content_index: 0, delta: c });
    const item = { type: "message", id: msgId, role: "assistant", status: "completed", content: [{ type: "output_text", text, annotations: [] }] };
    s.event("response.output_item.done", { type: "response.output_item.done", output_index: items.length, item });
    items.push(item);
  }
  if (reply.kind === "write") items.push(writeItem(tools, reply.path, reply.content));
  if (reply.kind === "read") items.push(shellItem(tools, `call_mock${++seq}`, `cat '${reply.path}'`));
  if (reply.kind === "shell") items.push(shellItem(tools, `call_mock${++seq}`, reply.command));
  if (toolCall) items.push(toolCall);
  for (const item of items.slice(text ? 1 : 0)) {
    s.event("response.output_item.added", { type: "response.output_item.added", output_index: items.indexOf(item), item });
    s.event("response.output_item.done", { type: "response.output_item.done", output_index: items.indexOf(item), item });
  }
  const usage = {
    input_tokens: 100,
    input_tokens_details: { cached_tokens: 40 },
    output_tokens: 20,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 120,
  };
  s.event("response.completed", { type: "response.completed", response: response("completed", { output: items, usage }) });
  s.end();
};
