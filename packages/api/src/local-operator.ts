// Who the API acts as until sign-in exists: the person running this Drover on this machine.
// Sign-in replaces where the context's actor comes from (the signed-in user or token).
import os from "node:os";
import type { Actor } from "@drover/core/audit/actor";

export function localOperator(): Actor {
  return { kind: "user", userId: "local", name: `${os.userInfo().username} (local)` };
}
