// Mock of the Gemini API: POST /v1beta/models/<model>:streamGenerateContent?alt=sse and
// :generateContent, as Gemini CLI uses them (GOOGLE_GEMINI_BASE_URL points here).
import type { Json } from "@drover/core/runtimes/shared";
import { json, sse, type Handler } from "./respond.ts";
import { chunks, offeredTool, type Reply } from "./script.ts";

const STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

export const geminiHandler: Handler = ({ res, path, body, script, record }) => {
  const m = /\/models\/([^:/?]+):(streamGenerateContent|generateContent|countTokens|embedContent)/.exec(path);
  if (!m) {
    record(false, -1);
    return json(res, 404, { error: { code: 404, message: `mock: no route ${path}`, status: "NOT_FOUND" } });
  }
  const [, model, method] = m;
  if (method === "countTokens") {
    record(false, -1);
    return json(res, 200, { totalTokens: 10 });
  }
  const tools = Array.isArray(body?.tools) ? body.tools : [];
  const main = tools.some((t: Json) => Array.isArray(t?.functionDeclarations) && t.functionDeclarations.length > 0);
  let reply: Reply;
  let index = -1;
  if (main) ({ reply, index } = script.take());
  else if (
    body?.generationConfig?.responseMimeType === "application/json" ||
    body?.generationConfig?.responseJsonSchema ||
    body?.generationConfig?.responseSchema
  )
    // Side calls (next-speaker check, routing, loop detection) ask for JSON.
    reply = { kind: "text", text: JSON.stringify({ reasoning: "mock", next_speaker: "user", model_choice: "flash" }) };
  else reply = { kind: "text", text: "Mock side reply." };
  record(main, index);

  if (reply.kind === "hang") return;
  if (reply.kind === "http") {
    const details: unknown[] = [];
    if (reply.resetSeconds !== undefined) details.push({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${reply.resetSeconds}s` });
    return json(res, reply.status, {
      error: { code: reply.status, message: reply.message ?? `mock ${STATUS[reply.status] ?? "error"}`, status: STATUS[reply.status] ?? "UNKNOWN", details },
    });
  }

  const parts: unknown[][] = [];
  const usageMetadata = { promptTokenCount: 100, candidatesTokenCount: 20, totalTokenCount: 120, cachedContentTokenCount: 0 };
  if (reply.kind === "text") for (const c of chunks(reply.text)) parts.push([{ text: c }]);
  if (reply.kind === "write") {
    if (reply.text) parts.push([{ text: reply.text }]);
    parts.push([{ functionCall: { name: "write_file", args: { file_path: reply.path, content: reply.content } } }]);
  }
  if (reply.kind === "read") parts.push([{ functionCall: { name: "read_file", args: { absolute_path: reply.path, file_path: reply.path } } }]);
  if (reply.kind === "shell") {
    if (reply.text) parts.push([{ text: reply.text }]);
    parts.push([{ functionCall: { name: "run_shell_command", args: { command: reply.command, description: "mock shell command" } } }]);
  }

  if (reply.kind === "tool") {
    if (reply.text) parts.push([{ text: reply.text }]);
    const offered = ((body?.tools ?? []) as { functionDeclarations?: { name: string }[] }[]).flatMap((t) => (t.functionDeclarations ?? []).map((f) => f.name));
    parts.push([{ functionCall: { name: offeredTool(offered, reply.name), args: reply.input } }]);
  }

  const chunk = (p: unknown[], last: boolean) => ({
    candidates: [{ content: { role: "model", parts: p }, index: 0, ...(last ? { finishReason: "STOP" } : {}) }],
    ...(last ? { usageMetadata } : {}),
    modelVersion: model,
  });
  if (method === "generateContent") {
    return json(res, 200, chunk(parts.flat(), true));
  }
  const s = sse(res);
  for (const [i, p] of parts.entries()) s.event(undefined, chunk(p, i === parts.length - 1));
  s.end();
};
