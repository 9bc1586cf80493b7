// Live agent status as the board shows it: idle ○, running ●, throttled ◑, blocked ✗.
const GLYPH: Record<string, { g: string; cls: string; label: string }> = {
  idle: { g: "○", cls: "text-slate-400", label: "idle" },
  pending: { g: "○", cls: "text-amber-500", label: "waiting for a runner" },
  running: { g: "●", cls: "text-emerald-600", label: "running" },
  throttled: { g: "◑", cls: "text-amber-600", label: "throttled" },
  blocked: { g: "✗", cls: "text-red-600", label: "blocked" },
};

export function StatusGlyph({ status }: { status: string | null | undefined }) {
  if (!status) return null;
  const x = GLYPH[status] ?? GLYPH.idle!;
  return (
    <span role="img" className={x.cls} title={x.label} aria-label={x.label} data-status={status}>
      {x.g}
    </span>
  );
}

const SESSION_CLS: Record<string, string> = {
  pending: "bg-amber-100 text-amber-800",
  running: "bg-emerald-100 text-emerald-800",
  completed: "bg-sky-100 text-sky-800",
  failed: "bg-red-100 text-red-800",
  stopped: "bg-slate-200 text-slate-700",
  interrupted: "bg-orange-100 text-orange-800",
};

export function SessionStatus({ status }: { status: string }) {
  return (
    <span data-testid="session-status" className={`rounded px-1.5 py-0.5 text-xs font-medium ${SESSION_CLS[status] ?? "bg-slate-100"}`}>
      {status}
    </span>
  );
}

export function fmtCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return "–";
  return `$${usd < 0.01 && usd > 0 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "–";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function fmtTokens(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}
