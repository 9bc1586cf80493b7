#!/usr/bin/env node
// The `drover` command line. Each command lives in commands/<name>.ts and registers itself here.
import { Command } from "commander";
import { addRemoteOptions } from "./remote.ts";

const program = new Command().name("drover").description("Drover: run AI coding agents through a kanban pipeline of stories").showHelpAfterError();

/** Command name → its module. */
const commands: Record<string, () => Promise<{ register(p: Command): void }>> = {
  // Add new commands here, one line each (the key is the name the module registers).
  import: () => import("./commands/import.ts"),
  export: () => import("./commands/export.ts"),
  status: () => import("./commands/status.ts"),
  start: () => import("./commands/start.ts"),
  stop: () => import("./commands/stop.ts"),
  up: () => import("./commands/up.ts"),
  runner: () => import("./commands/runner.ts"),
  approve: () => import("./commands/approve.ts"),
  reject: () => import("./commands/reject.ts"),
  retry: () => import("./commands/retry.ts"),
  user: () => import("./commands/user.ts"),
  project: () => import("./commands/project.ts"),
  audit: () => import("./commands/audit.ts"),
  doctor: () => import("./commands/doctor.ts"),
  init: () => import("./commands/init.ts"),
  secret: () => import("./commands/secret.ts"),
  compact: () => import("./commands/compact.ts"),
};

addRemoteOptions(program);
// A named command loads only its own module: `drover up` and `drover runner` start on every
// `pnpm start`, and loading every command's imports (the auth library among them) cost them seconds
// of CPU. Anything else (help, global options first, a typo) loads all, so help and errors list every command.
const named = process.argv[2];
const load = named !== undefined && Object.hasOwn(commands, named) ? [commands[named]!] : Object.values(commands);
for (const l of load) (await l()).register(program);

await program.parseAsync(process.argv);
