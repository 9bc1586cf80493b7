// `drover runner`: a long-lived process that runs agents for pending sessions. Options come from
// flags, else DROVER_RUNNER_* variables; SIGTERM/SIGINT shut it down gracefully (exit 0).
import type { Command } from "commander";
import { startRunner } from "../../runner/start-runner.ts";
import { defaultLifecycleHooks } from "../../runner/lifecycle.ts";
import { createAutomationHooks } from "../../automation/index.ts";
import { startNotificationDelivery } from "../../notifications/start.ts";

export function register(program: Command): void {
  program
    .command("runner")
    .description("Run agents for pending sessions (several runners may share one database)")
    .option("--id <id>", "runner id (default: host-pid-random; reuse it to reap a previous life's agents)", process.env.DROVER_RUNNER_ID)
    .option("--capacity <n>", "agents run at once", process.env.DROVER_RUNNER_CAPACITY)
    .option("--lease-secs <s>", "lease length in seconds", process.env.DROVER_RUNNER_LEASE_SECS)
    .option("--heartbeat-secs <s>", "heartbeat interval in seconds", process.env.DROVER_RUNNER_HEARTBEAT_SECS)
    .option("--poll-ms <ms>", "polling fallback interval in ms", process.env.DROVER_RUNNER_POLL_MS)
    .option("--grace-secs <s>", "grace between SIGTERM and SIGKILL for agents", process.env.DROVER_RUNNER_GRACE_SECS)
    .option("--data-dir <dir>", "where session folders (HOME, TMPDIR), runtime state and remote projects' clones live", process.env.DROVER_RUNNER_DATA_DIR)
    .option(
      "--max-output-lines <n>",
      "lines of an agent's output stored per session (later lines are counted, not stored)",
      process.env.DROVER_RUNNER_MAX_OUTPUT_LINES,
    )
    .option("--max-output-bytes <n>", "bytes of an agent's output stored per session", process.env.DROVER_RUNNER_MAX_OUTPUT_BYTES)
    .option(
      "--demo-promote-secs <s>",
      "the demo project's autopilot promotes a backlog story after this many idle seconds",
      process.env.DROVER_DEMO_PROMOTE_SECS,
    )
    .option(
      "--projects <list>",
      "serve only these projects (comma-separated ids or names): claim, recover and answer requests for them only; " +
        "its CLIs count only for them; it leaves notifications, the demo autopilot and archiving to unscoped runners",
      process.env.DROVER_RUNNER_PROJECTS,
    )
    .option("--no-recover", "do not queue resumes of interrupted sessions (off anyway with the pipeline, which resumes them itself)")
    .option("--no-pipeline", "end sessions by exit code only: no gates, no advancing (runner tests, debugging)")
    .action(async (o: Record<string, string | boolean | undefined>) => {
      // The pipeline's hooks (gates, advancing, retries), or end by exit code only (--no-pipeline).
      const demoSecs = o.demoPromoteSecs === undefined ? undefined : Number(o.demoPromoteSecs);
      if (demoSecs !== undefined && !(demoSecs > 0)) {
        console.error(
          `drover runner: --demo-promote-secs (DROVER_DEMO_PROMOTE_SECS) must be a number of seconds above 0, got ${JSON.stringify(o.demoPromoteSecs)}`,
        );
        process.exit(2);
      }
      const hooks =
        o.pipeline !== false && process.env.DROVER_RUNNER_PIPELINE !== "0"
          ? createAutomationHooks({ ...(demoSecs ? { demoPromoteMs: demoSecs * 1000 } : {}), dataDir: o.dataDir as string | undefined })
          : defaultLifecycleHooks;
      let runner: Awaited<ReturnType<typeof startRunner>>;
      try {
        runner = await startRunner({
          databaseUrl: process.env.DATABASE_URL ?? "",
          id: o.id as string | undefined,
          capacity: o.capacity as never,
          leaseSecs: o.leaseSecs as never,
          heartbeatSecs: o.heartbeatSecs as never,
          pollMs: o.pollMs as never,
          graceSecs: o.graceSecs as never,
          dataDir: o.dataDir as string | undefined,
          maxOutputLines: o.maxOutputLines as never,
          maxOutputBytes: o.maxOutputBytes as never,
          recoverInterrupted: o.recover === false ? false : undefined,
          projects: typeof o.projects === "string" ? o.projects.split(",").map((p) => p.trim()) : undefined,
          hooks,
        });
      } catch (err) {
        console.error(`drover runner: ${(err as Error).message}`);
        process.exit(2);
      }
      // Webhook and chat deliveries go out from every unscoped runner (they share the outbox safely);
      // the outbox is workspace-wide, so a runner serving some projects only leaves it to them.
      let notifications: { stop(): Promise<void> } = { stop: async () => {} };
      try {
        if (!runner.projectIds.length) notifications = startNotificationDelivery(process.env.DATABASE_URL ?? "", process.env);
      } catch (err) {
        console.error(`drover runner: ${(err as Error).message}`);
        await runner.stop();
        process.exit(2);
      }
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.error(`drover runner: ${signal} received, shutting down`);
        Promise.all([runner.stop(), notifications.stop()])
          .then(() => (hooks as { close?: () => Promise<void> }).close?.())
          .then(
            () => process.exit(0),
            (err) => {
              console.error(`drover runner: shutdown failed: ${(err as Error).message}`);
              process.exit(1);
            },
          );
      };
      for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => stop(sig));
      // Print the id so a parent process (tests, supervisors) knows which runner this is.
      console.log(JSON.stringify({ runnerId: runner.id, pid: process.pid }));
    });
}
