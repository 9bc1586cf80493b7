// `drover up`: start everything (see up/supervisor.ts). The foreground process only relays signals
// to a supervisor in its own process group and exits with its code.
import { spawn } from "node:child_process";
import type { Command } from "commander";
import { runSupervisor } from "../../up/supervisor.ts";

export function register(program: Command): void {
  program
    .command("up")
    .description("start Drover: database (embedded unless DATABASE_URL is set), migrations, demo project, runner and web app")
    .action(async () => {
      if (process.env.DROVER_SUPERVISED === "1") {
        process.exit(await runSupervisor());
      }
      const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        detached: true,
        stdio: ["inherit", "inherit", "inherit", "ipc"],
        env: { ...process.env, DROVER_SUPERVISED: "1" },
      });
      const relay = () => child.kill("SIGTERM");
      process.on("SIGINT", relay);
      process.on("SIGTERM", relay);
      child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
    });
}
