// Sends one request with a timeout and reports what the receiver answered: status, latency and
// the start of its answer. The secret (a chat webhook URL, a token) never appears in what is kept.
import type { AttemptResult } from "@drover/db/notifications/delivery-queue";
import type { OutgoingRequest } from "./requests.ts";

const EXCERPT_CHARS = 500;

function redact(text: string, secret: string | null): string {
  return secret ? text.split(secret).join("[secret]") : text;
}

export async function sendRequest(req: OutgoingRequest, timeoutMs: number, secret: string | null): Promise<AttemptResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    // The answer's start only; a receiver that streams forever is cut off by the same timeout.
    const text = await res.text().catch(() => "");
    return {
      ok: res.status >= 200 && res.status < 300,
      statusCode: res.status,
      latencyMs: latency(),
      responseExcerpt: redact(text.slice(0, EXCERPT_CHARS), secret) || null,
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { ok: false, statusCode: null, latencyMs: latency(), responseExcerpt: redact(why, secret) };
  }
}
