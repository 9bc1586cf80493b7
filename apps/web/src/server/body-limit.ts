// A request body cut off at a byte limit: refused up front when its Content-Length says it is too
// large, else counted while tRPC reads it, so a chunked body without a length stops there too and
// is never held whole in memory.
import { TRPCError } from "@trpc/server";

function tooLarge(maxBytes: number): TRPCError {
  return new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: `Request body is larger than ${maxBytes} bytes; send less in one request` });
}

/** The same request, whose body errors with PAYLOAD_TOO_LARGE (HTTP 413) past maxBytes. */
export function limitBody(req: Request, maxBytes: number): Request {
  if (!req.body) return req;
  const declared = Number(req.headers.get("content-length"));
  let seen = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      if (declared > maxBytes) controller.error(tooLarge(maxBytes));
    },
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) controller.error(tooLarge(maxBytes));
      else controller.enqueue(chunk);
    },
  });
  return new Request(req.url, {
    method: req.method,
    headers: req.headers,
    body: req.body.pipeThrough(counter),
    signal: req.signal,
    // Node needs this for a streamed request body.
    duplex: "half",
  } as RequestInit & { duplex: "half" });
}
