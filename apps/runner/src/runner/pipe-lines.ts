// The lines of an agent's output pipe, split exactly as readline (crlfDelay: Infinity) splits
// them: at \n, \r\n or a lone \r (a \r\n across two chunks is one break), an empty line kept, the
// last unterminated line given at the end. It splits the bytes, not decoded text: each line is
// decoded once and its byte length comes free (readline's string decoder, line regex and a
// Buffer.byteLength per line were a fifth of the runner's CPU in an output flood).
import type { Readable } from "node:stream";

const LF = 10;
const CR = 13;

export class PipeLines {
  /** Settles when the pipe ended (after its last line) or closed. */
  readonly done: Promise<void>;
  private parts: Buffer[] = []; // an unterminated line so far
  private skipLf = false; // the last chunk ended in \r: a \n starting the next one ends no line
  private stopped = false;

  constructor(
    private readonly input: Readable,
    private readonly onLine: (line: string, bytes: number) => void,
  ) {
    this.done = new Promise((resolve) => {
      input.once("end", () => {
        if (this.stopped) return;
        const last = this.takeParts();
        if (last.length > 0) onLine(last.toString("utf8"), last.length + 1); // counted as readline's lines were
        resolve();
      });
      input.once("close", resolve);
    });
    input.on("data", this.data);
  }

  pause(): void {
    this.input.pause();
  }

  resume(): void {
    if (!this.stopped) this.input.resume();
  }

  /** Stops reading (the pipe is left open, as readline's close leaves its input). */
  close(): void {
    this.stopped = true;
    this.input.off("data", this.data);
    this.input.pause();
  }

  private takeParts(): Buffer {
    const b = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    return b;
  }

  private readonly data = (chunk: Buffer | string): void => {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    let start = 0;
    if (this.skipLf && buf[0] === LF) start = 1;
    this.skipLf = false;
    let lf = buf.indexOf(LF, start);
    let cr = buf.indexOf(CR, start);
    while (lf !== -1 || cr !== -1) {
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 < buf.length) next = buf[cr + 1] === LF ? cr + 2 : cr + 1;
        else {
          next = cr + 1;
          this.skipLf = true;
        }
      } else {
        end = lf;
        next = lf + 1;
      }
      if (this.parts.length > 0) {
        this.parts.push(buf.subarray(start, end));
        const line = this.takeParts();
        this.onLine(line.toString("utf8"), line.length + 1);
      } else this.onLine(buf.toString("utf8", start, end), end - start + 1);
      if (this.stopped) return;
      start = next;
      if (lf !== -1 && lf < start) lf = buf.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = buf.indexOf(CR, start);
    }
    if (start < buf.length) this.parts.push(buf.subarray(start));
  };
}
