// A session's raw log stored gzip-compressed (node:zlib), streamed in and out as text chunks.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";

/** gzip of a text stream, collected (the compressed log is what gets stored). */
export async function gzipChunks(chunks: AsyncIterable<string>): Promise<{ gzip: Buffer; bytes: number }> {
  let bytes = 0;
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(
      (async function* () {
        for await (const c of chunks) {
          const b = Buffer.from(c, "utf8");
          bytes += b.length;
          yield b;
        }
      })(),
    ),
    createGzip(),
    async (gzipped: AsyncIterable<Buffer>) => {
      for await (const b of gzipped) out.push(b);
    },
  );
  return { gzip: Buffer.concat(out), bytes };
}

/** A stored compressed raw log as text chunks (utf8 decoding keeps characters split across chunks whole). */
export async function* gunzipText(gzip: Uint8Array): AsyncGenerator<string> {
  const gunzip = createGunzip();
  gunzip.setEncoding("utf8");
  Readable.from([Buffer.from(gzip)]).pipe(gunzip);
  for await (const chunk of gunzip) yield chunk as string;
}
