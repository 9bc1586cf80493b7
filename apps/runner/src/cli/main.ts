#!/usr/bin/env node
// The `drover` command line. Each command lives in commands/<name>.ts and registers itself here.
import { Command } from "commander";
import { addRemoteOptions } from "./remote.ts";

const program = new Command().name("drover").description("Drover: run AI coding agents through a kanban pipeline of stories").showHelpAfterError();

const commands: Array<() => Promise<{ register(p: Command): void }>> = [
  // Add new commands here, one line each.
  () => import("./commands/import.ts"),
  () => import("./commands/export.ts"),
  () => import("./commands/status.ts"),
  () => import("./commands/start.ts"),
  () => import("./commands/stop.ts"),
  () => import("./commands/up.ts"),
  () => import("./commands/runner.ts"),
  () => import("./commands/approve.ts"),
  () => import("./commands/reject.ts"),
  () => import("./commands/retry.ts"),
  () => import("./commands/user.ts"),
  () => import("./commands/project.ts"),
  () => import("./commands/audit.ts"),
  () => import("./commands/doctor.ts"),
  () => import("./commands/init.ts"),
  () => import("./commands/secret.ts"),
  () => import("./commands/compact.ts"),
];

addRemoteOptions(program);
for (const load of commands) (await load()).register(program);

await program.parseAsync(process.argv);
