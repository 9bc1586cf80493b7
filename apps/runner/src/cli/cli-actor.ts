// Who a command run against the local database acts as: the OS user on this host.
import os from "node:os";
import type { Actor } from "@drover/core/audit/actor";

export function cliActor(): Actor {
  return { kind: "cli", osUser: os.userInfo().username, host: os.hostname() };
}
