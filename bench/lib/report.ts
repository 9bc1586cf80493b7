// Figures of one `pnpm bench` run: Drover's value, the anchor's value measured in the same run,
// their ratio; printed as a table per part and written as JSON.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Figure {
  part: string;
  name: string;
  unit: string;
  drover: number;
  /** What Drover is compared with (measured in the same run), if anything. */
  anchorName?: string;
  anchor?: number;
  /** drover / anchor */
  ratio?: number;
  goal?: string;
  note?: string;
}

export class Report {
  readonly figures: Figure[] = [];
  readonly notes: string[] = [];
  readonly startedAt = new Date();

  add(f: Omit<Figure, "ratio">): void {
    const ratio = f.anchor !== undefined && f.anchor > 0 ? f.drover / f.anchor : undefined;
    this.figures.push({ ...f, ratio });
  }

  note(part: string, text: string): void {
    this.notes.push(`${part}: ${text}`);
    console.log(`  note: ${text}`);
  }

  print(part: string): void {
    const rows = this.figures.filter((f) => f.part === part);
    if (!rows.length) return;
    const fmt = (n: number | undefined) =>
      n === undefined || Number.isNaN(n) ? "" : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
    const table = [
      ["figure", "unit", "drover", "anchor", "anchor value", "ratio", "goal"],
      ...rows.map((f) => [
        f.name,
        f.unit,
        fmt(f.drover),
        f.anchorName ?? "",
        fmt(f.anchor),
        f.ratio === undefined ? "" : `${f.ratio.toFixed(2)}x`,
        f.goal ?? "",
      ]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    console.log(`\n== ${part} (load average ${os.loadavg()[0]!.toFixed(2)}, ${os.cpus().length} cores)`);
    for (const [i, r] of table.entries()) {
      console.log(r.map((c, j) => (j >= 2 && j !== 3 && j !== 6 ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join("  "));
      if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
    }
  }

  write(file: string, meta: Record<string, unknown>): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const body = {
      startedAt: this.startedAt.toISOString(),
      host: { cores: os.cpus().length, loadavg: os.loadavg() },
      ...meta,
      figures: this.figures,
      notes: this.notes,
    };
    fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  }
}
