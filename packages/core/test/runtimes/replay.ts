// Replays a transcript recorded from a real CLI (stdout lines, stderr, exit code) through a parser.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NormalizedEvent, StreamParser } from "../../src/runtimes/types.ts";

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/transcripts");

export interface Transcript {
  lines: string[];
  meta: { cli: string; version: string; case: string; note: string; exitCode: number; stderr: string[] };
}

export function transcript(cli: string, name: string): Transcript {
  const lines = fs
    .readFileSync(path.join(DIR, cli, `${name}.jsonl`), "utf8")
    .split("\n")
    .filter((l) => l.length > 0);
  const meta = JSON.parse(fs.readFileSync(path.join(DIR, cli, `${name}.meta.json`), "utf8"));
  return { lines, meta };
}

/** Feeds stdout and stderr as the runner would, then the exit; a timeout-killed run exits by SIGTERM. */
export function replay(parser: StreamParser, t: Transcript): NormalizedEvent[] {
  const events: NormalizedEvent[] = [];
  for (const l of t.meta.stderr) parser.stderr?.(l);
  for (const l of t.lines) events.push(...parser.line(l));
  const killed = t.meta.exitCode === 124;
  events.push(...parser.end(killed ? { exitCode: null, signal: "SIGTERM" } : { exitCode: t.meta.exitCode, signal: null }));
  return events;
}

export function only<K extends NormalizedEvent["kind"]>(events: NormalizedEvent[], kind: K): Extract<NormalizedEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<NormalizedEvent, { kind: K }> => e.kind === kind);
}

export function result(events: NormalizedEvent[]) {
  const r = only(events, "result");
  if (r.length !== 1) throw new Error(`expected exactly one result, got ${r.length}`);
  return r[0];
}
