// Records transcripts from the real CLIs against the mock model servers, invoked exactly as the
// adapters plan it (argv, env, settings files), for the unit-test fixtures.
//
//   pnpm exec tsx apps/runner/test/mock-models/record.ts <claude|gemini|codex> [outDir] [case...]
//
// Writes <outDir>/<case>.jsonl (stdout lines) and <case>.meta.json (exit code, stderr, note).
// Ids, timestamps and temp paths differ on every run: re-recording means updating the unit tests.
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { getRuntimeAdapter } from "@drover/core/runtimes/index";
import type { AgentSpec, SpawnRequest } from "@drover/core/runtimes/types";
import { ensureClis } from "../e2e-runtimes/helpers.ts";
import { closedPort, startMockModel, type MockApi } from "./server.ts";
import type { Reply } from "./script.ts";

type Cli = "claude" | "gemini" | "codex";
const RUNTIME: Record<Cli, { runtime: string; api: MockApi; model: string; version: string; env: (url: string, key?: string) => Record<string, string> }> = {
  claude: {
    runtime: "claude-code",
    api: "anthropic",
    model: "claude-sonnet-4-5",
    version: "2.1.197",
    env: (url, key) => ({ ANTHROPIC_BASE_URL: url, ...(key ? { ANTHROPIC_API_KEY: key } : {}) }),
  },
  gemini: {
    runtime: "gemini",
    api: "gemini",
    model: "gemini-2.5-pro",
    version: "0.61.0",
    env: (url, key) => ({ GOOGLE_GEMINI_BASE_URL: url, ...(key ? { GEMINI_API_KEY: key } : {}) }),
  },
  codex: {
    runtime: "codex",
    api: "openai",
    model: "gpt-5.5",
    version: "0.169.0",
    env: (url, key) => ({ OPENAI_BASE_URL: `${url}/v1`, ...(key ? { OPENAI_API_KEY: key } : {}) }),
  },
};

interface Case {
  note: string;
  replies: (wt: string) => Reply[];
  key?: string | null;
  down?: boolean;
  maxTurns?: number;
  resumeId?: string;
  /** Resume the conversation recorded by the `ok` case (same worktree and state folder). */
  resumesOk?: boolean;
}

const CASES: Record<string, Case> = {
  ok: {
    note: "tool write then text",
    replies: (wt) => [
      { kind: "write", path: path.join(wt, "hello.txt"), content: "hi from mock\n", text: "Writing the file." },
      { kind: "text", text: "Done: wrote hello.txt." },
    ],
  },
  resume: { note: "resume of the ok session with a new message", resumesOk: true, replies: () => [{ kind: "text", text: "Resumed: I remember hello.txt." }] },
  "401": { note: "HTTP 401 from the API", replies: () => [{ kind: "http", status: 401, message: "invalid api key" }] },
  nokey: { note: "no API key at all", key: null, replies: () => [{ kind: "text", text: "x" }] },
  down: { note: "nothing listening on the base URL", down: true, replies: () => [{ kind: "text", text: "x" }] },
  maxturns: { note: "max_turns 2 while the model keeps reading a file", maxTurns: 2, replies: (wt) => [{ kind: "read", path: path.join(wt, "README.md") }] },
  "resume-unknown": {
    note: "resume with an id that never existed",
    resumeId: "11111111-2222-3333-4444-555555555555",
    replies: () => [{ kind: "text", text: "x" }],
  },
  "429": { note: "HTTP 429 with a reset in 3600 s", replies: () => [{ kind: "http", status: 429, resetSeconds: 3600, message: "rate limited" }] },
  "500": { note: "HTTP 500", replies: () => [{ kind: "http", status: 500, message: "boom" }] },
};

async function record(cli: Cli, name: string, c: Case, work: string, outDir: string, okSession: { id?: string }): Promise<void> {
  const rt = RUNTIME[cli];
  const wt = path.join(work, c.resumesOk ? "ok" : name, "wt");
  fs.mkdirSync(wt, { recursive: true });
  if (!fs.existsSync(path.join(wt, ".git"))) {
    execFileSync("git", ["init", "-q"], { cwd: wt });
    fs.writeFileSync(path.join(wt, "README.md"), "# fixture\n");
  }
  const mock = c.down ? undefined : await startMockModel(rt.api, c.replies(wt));
  const url = mock?.url ?? `http://127.0.0.1:${await closedPort()}`;
  const agent: AgentSpec = {
    name: `rec-${cli}`,
    runtime: rt.runtime,
    model: rt.model,
    env: { ...rt.env(url, c.key === null ? undefined : (c.key ?? "mock-key")), DROVER_API_RETRIES: "0" },
    ...(c.maxTurns ? { max_turns: c.maxTurns } : {}),
  };
  const sessionDir = path.join(work, "sessions", name);
  const home = path.join(sessionDir, "home");
  const tmp = path.join(sessionDir, "tmp");
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(tmp, { recursive: true });
  const req: SpawnRequest = {
    agent,
    prompt: "Write hello.txt",
    resumeId: c.resumesOk ? okSession.id : c.resumeId,
    cwd: wt,
    sessionDir,
    stateDir: path.join(work, "state"),
    vars: {},
  };
  const adapter = getRuntimeAdapter(rt.runtime);
  const plan = adapter.plan(req);
  for (const [f, content] of Object.entries(plan.files ?? {})) {
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, content);
  }
  const env = { PATH: process.env.PATH ?? "", HOME: home, TMPDIR: tmp, ...agent.env, ...plan.env };
  const child = spawn(plan.file, plan.args, { cwd: wt, env, detached: true, stdio: [plan.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
  if (plan.stdin !== undefined) child.stdin!.end(plan.stdin);
  const parser = adapter.parser(req);
  const lines: string[] = [];
  const stderr: string[] = [];
  const kill = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  };
  const limit = setTimeout(kill, 60_000);
  readline.createInterface({ input: child.stdout! }).on("line", (l) => {
    lines.push(l);
    const evs = parser.line(l);
    for (const e of evs) if (e.kind === "init" && name === "ok") okSession.id = e.runtimeSessionId;
    if (evs.some((e) => e.kind === "error" && e.fatal)) kill(); // as the runner does
  });
  readline.createInterface({ input: child.stderr! }).on("line", (l) => {
    if (l.trim()) stderr.push(l);
  });
  const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.on("close", (c2, s) => r([c2, s])));
  clearTimeout(limit);
  await mock?.close();
  fs.writeFileSync(path.join(outDir, `${name}.jsonl`), lines.map((l) => `${l}\n`).join(""));
  const meta = { cli, version: rt.version, case: name, note: c.note, exitCode: signal ? 124 : code, stderr: stderr.slice(0, 40) };
  fs.writeFileSync(path.join(outDir, `${name}.meta.json`), `${JSON.stringify(meta, null, 1)}\n`);
  console.log(`${cli}/${name}: exit ${code ?? signal}, ${lines.length} lines`);
}

async function main(): Promise<void> {
  const [cli, outArg, ...only] = process.argv.slice(2) as [Cli, string | undefined, ...string[]];
  if (!RUNTIME[cli]) throw new Error(`usage: record.ts <${Object.keys(RUNTIME).join("|")}> [outDir] [case...]`);
  ensureClis();
  const outDir = path.resolve(outArg ?? path.join(import.meta.dirname, "../../../../packages/core/test/fixtures/transcripts", cli));
  fs.mkdirSync(outDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `drover-record-${cli}-`));
  const names = only.length ? only : Object.keys(CASES);
  if (names.includes("resume") && !names.includes("ok")) names.unshift("ok");
  const okSession: { id?: string } = {};
  for (const name of names) {
    if (!CASES[name]) throw new Error(`unknown case ${name}; known: ${Object.keys(CASES).join(", ")}`);
    await record(cli, name, CASES[name], work, outDir, okSession);
  }
}

await main();
