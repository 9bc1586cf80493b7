// The contract of one benchmark part: `pnpm bench <name>` or one step of `pnpm bench all`.
import type { BenchPostgres } from "./postgres.ts";
import type { Report } from "./report.ts";

export interface PartContext {
  quick: boolean;
  pg: BenchPostgres;
  report: Report;
  /** A scratch folder for this part (removed after the run). */
  tmp: string;
}

export interface Part {
  name: string;
  run(ctx: PartContext): Promise<void>;
}
