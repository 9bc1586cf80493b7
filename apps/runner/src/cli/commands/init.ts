// `drover init [path] --runtime <runtime>`: writes a starting .drover/project.toml for an existing
// repository (a coder, a QA agent and a mergemaster; gates found in the repository; the base branch
// from HEAD). Never overwrites a roster. Needs no database.
import path from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { RUNTIMES, type RuntimeName } from "@drover/core/config/types";
import { DomainError } from "@drover/core/errors";
import { planStarterRoster, writeStarterRoster } from "@drover/repo/starter-roster";

function runtimeArg(v: string): RuntimeName {
  if (!(RUNTIMES as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${RUNTIMES.join(", ")}`);
  return v as RuntimeName;
}

export function register(program: Command): void {
  program
    .command("init")
    .description("write a starting .drover/project.toml (coder, QA, mergemaster; detected gates) for the repository in [path]")
    .argument("[path]", "the repository (default: the current folder)", ".")
    .option("--runtime <runtime>", `the agents' runtime: ${RUNTIMES.join(", ")}`, runtimeArg, "claude-code" as RuntimeName)
    .action(async (repo: string, opts: { runtime: RuntimeName }) => {
      try {
        const plan = await planStarterRoster(path.resolve(repo), opts.runtime);
        const file = writeStarterRoster(plan);
        const lines = [
          `Wrote ${file} (${opts.runtime} agents: coder-1, qa, mergemaster; base branch ${plan.baseBranch ?? "unset (detached HEAD)"})`,
          plan.gates.length ? `Gates: ${plan.gates.join(", ")}` : "No test command found: add gates = [...] to the file",
          `Next: drover doctor ${plan.root}`,
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
      } catch (err) {
        process.stderr.write(`drover: ${(err as Error).message}\n`);
        process.exitCode = err instanceof DomainError && err.code === "CONFLICT" ? 4 : 2;
      }
    });
}
