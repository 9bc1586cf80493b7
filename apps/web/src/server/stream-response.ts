// A download streamed from an async generator of text chunks, pulled only as fast as the client
// reads, so a long log or trail never sits in memory at once.
export function streamResponse(chunks: AsyncGenerator<string>, headers: Record<string, string>, first?: IteratorResult<string>): Response {
  const enc = new TextEncoder();
  let pending = first ?? null;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = pending ?? (await chunks.next());
      pending = null;
      if (next.done) controller.close();
      else controller.enqueue(enc.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(stream, { headers });
}
