// `pnpm bench all [--quick] [--json file]` runs every part on one embedded Postgres and prints a
// table per part (Drover, the anchor measured in the same run, their ratio), then writes JSON
// (default bench/results/<timestamp>.json). `pnpm bench <part>` runs one part. The older
// stand-alone scripts (runner-latency, log-page) still run as `pnpm bench <script> [args]`.
process.env.LOG_LEVEL ??= "warn";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Part } from "./lib/part.ts";
import { stopLeftovers } from "./lib/fixture.ts";
import { startBenchPostgres } from "./lib/postgres.ts";
import { Report } from "./lib/report.ts";
import { dispatch } from "./parts/dispatch.ts";
import { throughput } from "./parts/throughput.ts";
import { ingestion } from "./parts/ingestion.ts";
import { growth } from "./parts/growth.ts";
import { memory } from "./parts/memory.ts";
import { restart } from "./parts/restart.ts";
import { retention } from "./parts/retention.ts";

const PARTS: Part[] = [dispatch, throughput, ingestion, growth, memory, restart, retention];

const dir = path.dirname(fileURLToPath(import.meta.url));
const scripts = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "main.ts")
  .map((f) => f.slice(0, -3));
const name = process.argv[2];
const usage = `usage: pnpm bench all|${PARTS.map((p) => p.name).join("|")} [--quick] [--json file]\n       pnpm bench ${scripts.join("|")} [args]`;

if (name && scripts.includes(name)) {
  process.argv.splice(2, 1);
  await import(pathToFileURL(path.join(dir, `${name}.ts`)).href);
} else {
  const selected = name === "all" ? PARTS : PARTS.filter((p) => p.name === name);
  if (!selected.length) {
    console.error(usage);
    process.exit(2);
  }
  const { values } = parseArgs({ args: process.argv.slice(3), options: { quick: { type: "boolean", default: false }, json: { type: "string" } } });
  const quick = values.quick!;
  const report = new Report();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drover-bench-"));
  fs.chmodSync(tmp, 0o755); // the embedded server runs as the postgres user when we are root
  const t0 = performance.now();
  let failed = false;
  const pg = await startBenchPostgres(path.join(tmp, "pg"));
  try {
    for (const part of selected) {
      const start = performance.now();
      console.log(`\n--- ${part.name}${quick ? " (quick)" : ""}`);
      const partTmp = path.join(tmp, part.name);
      fs.mkdirSync(partTmp, { mode: 0o755 });
      try {
        await part.run({ quick, pg, report, tmp: partTmp });
      } catch (err) {
        failed = true;
        await stopLeftovers();
        console.error(`part ${part.name} failed: ${(err as Error).stack ?? err}`);
        report.note(part.name, `FAILED: ${(err as Error).message}`);
      }
      report.print(part.name);
      console.log(`(${part.name}: ${((performance.now() - start) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await pg.stop().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const wall = (performance.now() - t0) / 1000;
  const stamp = report.startedAt.toISOString().replace(/[:.]/g, "-");
  const file = values.json ?? path.join(dir, "results", `${stamp}${quick ? "-quick" : ""}.json`);
  report.write(file, { parts: selected.map((p) => p.name), quick, wallSeconds: wall, failed });
  console.log(`\nwall time ${wall.toFixed(1)} s; figures written to ${path.relative(process.cwd(), file)}`);
  // Anything a part left running (pools, listeners) must not keep the process alive.
  process.exit(failed ? 1 : 0);
}
