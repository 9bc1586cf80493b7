// The runner's line splitter must cut an agent's output exactly where readline (which it replaced)
// cut it, whatever the chunking, and count each line's bytes as printed.
import readline from "node:readline";
import { PassThrough } from "node:stream";
import { expect, it } from "vitest";
import { PipeLines } from "../../src/runner/pipe-lines.ts";

async function viaReadline(chunks: Buffer[]): Promise<string[]> {
  const input = new PassThrough();
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  const lines: string[] = [];
  rl.on("line", (l) => lines.push(l));
  const closed = new Promise((r) => rl.once("close", r));
  for (const c of chunks) input.write(c);
  input.end();
  await closed;
  return lines;
}

async function viaPipeLines(chunks: Buffer[]): Promise<{ lines: string[]; bytes: number[] }> {
  const input = new PassThrough();
  const lines: string[] = [];
  const bytes: number[] = [];
  const pl = new PipeLines(input, (l, b) => {
    lines.push(l);
    bytes.push(b);
  });
  for (const c of chunks) input.write(c);
  input.end();
  await pl.done;
  return { lines, bytes };
}

/** `text` cut into chunks at every position in `cuts` (byte offsets). */
function chunked(text: string, cuts: number[]): Buffer[] {
  const b = Buffer.from(text);
  const at = [0, ...cuts.filter((c) => c > 0 && c < b.length), b.length];
  return at.slice(1).map((end, i) => b.subarray(at[i]!, end));
}

const SAMPLES = [
  '{"type":"assistant","text":"héllo wörld ✓"}\n{"type":"result"}\n',
  "a\r\nb\r\n\r\nc\n\nd", // CRLF, empty lines, an unterminated last line
  "progress 10%\rprogress 50%\rdone\n", // lone CRs (a progress bar) split lines too
  "ends with a return\r",
  "x\r\n",
  "",
  "\n\n\n",
  "日本語のテキスト\n🙂 emoji\r\nlast",
];

it("splits every sample, cut at every byte, exactly where readline does", async () => {
  for (const text of SAMPLES) {
    const n = Buffer.byteLength(text);
    const expected = await viaReadline([Buffer.from(text)]);
    for (let cut = 0; cut <= n; cut++) {
      expect((await viaPipeLines(chunked(text, [cut]))).lines, JSON.stringify({ text, cut })).toEqual(expected);
      expect(await viaReadline(chunked(text, [cut])), JSON.stringify({ text, cut })).toEqual(expected);
    }
    // One byte per chunk: a multi-byte character and a CRLF are always split.
    expect(
      (
        await viaPipeLines(
          chunked(
            text,
            Array.from({ length: n }, (_, i) => i),
          ),
        )
      ).lines,
    ).toEqual(expected);
  }
});

it("counts each line's bytes as printed, with its line break", async () => {
  const { lines, bytes } = await viaPipeLines(chunked("héllo\n🙂\r\nplain\nlast", [2, 9]));
  expect(lines).toEqual(["héllo", "🙂", "plain", "last"]);
  expect(bytes).toEqual([7, 5, 6, 5]);
});

it("a long line over many chunks arrives whole, and close() stops the lines", async () => {
  const input = new PassThrough();
  const lines: string[] = [];
  const pl = new PipeLines(input, (l) => lines.push(l));
  const long = "y".repeat(200_000);
  for (let i = 0; i < long.length; i += 1000) input.write(long.slice(i, i + 1000));
  input.write("\nnext\n");
  await new Promise((r) => setImmediate(r));
  expect(lines).toEqual([long, "next"]);
  pl.close();
  input.write("after close\n");
  input.end();
  await new Promise((r) => setImmediate(r));
  expect(lines).toEqual([long, "next"]);
});
