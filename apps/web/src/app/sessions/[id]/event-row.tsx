// One session event, drawn by kind: assistant text as markdown, thinking and tool calls
// collapsed, file writes and edits as diffs, stderr, setup and gate output, the final result.
import { memo } from "react";
import { PatchView } from "@/components/diff-view";
import { Markdown } from "@/components/markdown";
import { fileChangePatch } from "@/lib/file-change";
import { isErrorEvent } from "@drover/core/runtimes/error-events";

export interface LogEvent {
  seq: number;
  at: Date;
  kind: string;
  text: string | null;
  payload: unknown;
}

type P = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v, null, 2));

const KIND_CLS: Record<string, string> = {
  text: "text-slate-900",
  thinking: "text-slate-500",
  tool_call: "text-sky-800",
  tool_result: "text-slate-700",
  stderr: "text-red-700",
  error: "text-red-700",
  setup: "text-violet-800",
  gate: "text-violet-800",
  result: "",
  status: "text-slate-500",
  usage: "text-slate-400",
  init: "text-slate-500",
  rate_limit: "text-amber-700",
};

/** How a result looks: green only when the session really completed (a stopped one may still have printed "success"). */
function resultTone(p: P, sessionStatus: string | undefined): { cls: string; label: string } {
  if (p.isError === true || sessionStatus === "failed") return { cls: "border-red-200 bg-red-50 text-red-800", label: "" };
  if (sessionStatus === "stopped" || sessionStatus === "interrupted")
    return { cls: "border-slate-300 bg-slate-100 text-slate-700", label: ` (session ${sessionStatus})` };
  return { cls: "border-emerald-200 bg-emerald-50 text-emerald-800", label: "" };
}

export const EventRow = memo(function EventRow({ e, highlighted, sessionStatus }: { e: LogEvent; highlighted?: boolean; sessionStatus?: string }) {
  const p = (e.payload ?? {}) as P;
  const err = isErrorEvent(e);
  const text = e.text ?? str(p.text);
  let body: React.ReactNode;
  switch (e.kind) {
    case "text":
      // Most lines are plain prose: skip the markdown parser for them (it dominates row cost).
      body = /[*_`#[\]>|~]|^\s*([-+]|\d+\.)\s/m.test(text) ? <Markdown text={text} /> : <p className="whitespace-pre-wrap">{text}</p>;
      break;
    case "thinking":
      body = (
        <details>
          <summary className="cursor-pointer italic">thinking…</summary>
          <pre className="whitespace-pre-wrap">{text}</pre>
        </details>
      );
      break;
    case "tool_call": {
      const change = fileChangePatch(p.input);
      body = (
        <details>
          <summary className="cursor-pointer">
            <span className="font-mono font-semibold">{str(p.name) || "tool"}</span>{" "}
            <span className="text-slate-500">{change?.file || summarize(p.input)}</span>
          </summary>
          {change ? <PatchView patch={change.patch} /> : <pre className="whitespace-pre-wrap bg-slate-50 p-1 text-xs">{str(p.input)}</pre>}
        </details>
      );
      break;
    }
    case "tool_result":
      body = (
        <details>
          <summary className="cursor-pointer">
            {p.ok === false ? "✗ tool failed" : "↳ result"} <span className="text-slate-500">{firstLine(str(p.output) || text)}</span>
          </summary>
          <pre className="whitespace-pre-wrap bg-slate-50 p-1 text-xs">{str(p.output) || text}</pre>
        </details>
      );
      break;
    case "result": {
      const tone = resultTone(p, sessionStatus);
      body = (
        <div className={`rounded border p-2 ${tone.cls}`} data-testid="result-box" data-tone={tone.cls.split("-")[1]}>
          <strong>
            Result: {str(p.outcome) || "done"}
            {tone.label}
          </strong>
          {p.turns !== undefined && ` · ${str(p.turns)} turns`}
          {typeof p.costUsd === "number" && ` · $${p.costUsd.toFixed(4)}`}
          {text || p.errorText ? <pre className="mt-1 whitespace-pre-wrap">{text || str(p.errorText)}</pre> : null}
        </div>
      );
      break;
    }
    case "setup":
    case "gate":
      body = (
        <pre className="whitespace-pre-wrap font-mono text-xs">
          <span className="font-semibold">
            {e.kind}
            {p.command ? ` $ ${str(p.command)}` : ""}
            {p.exitCode !== undefined ? ` (exit ${str(p.exitCode)})` : ""}
          </span>
          {"\n"}
          {text}
        </pre>
      );
      break;
    case "usage":
      body = (
        <span className="text-xs">
          usage: in {str(p.inputTokens)} out {str(p.outputTokens)}
          {typeof p.costUsd === "number" ? ` $${p.costUsd.toFixed(4)}` : ""}
        </span>
      );
      break;
    default:
      body = <pre className="whitespace-pre-wrap font-mono text-xs">{text || str(p)}</pre>;
  }
  return (
    <div
      className={`flex gap-2 border-b border-slate-100 px-2 py-1 text-sm ${KIND_CLS[e.kind] ?? ""} ${err ? "bg-red-50" : ""} ${highlighted ? "ring-2 ring-amber-400" : ""}`}
      data-kind={e.kind}
      data-seq={e.seq}
      data-error={err ? "1" : undefined}
    >
      <span className="w-12 shrink-0 text-right font-mono text-[10px] text-slate-400">{e.seq}</span>
      <span className="w-16 shrink-0 text-[10px] uppercase text-slate-400">{e.kind}</span>
      <div className="min-w-0 flex-1 break-words">{body}</div>
    </div>
  );
});

function firstLine(s: string): string {
  const l = s.split("\n")[0] ?? "";
  return l.length > 120 ? `${l.slice(0, 120)}…` : l;
}

function summarize(input: unknown): string {
  if (!input || typeof input !== "object") return firstLine(str(input));
  const i = input as P;
  return firstLine(str(i.command ?? i.file_path ?? i.path ?? i.pattern ?? i.query ?? JSON.stringify(i)));
}
