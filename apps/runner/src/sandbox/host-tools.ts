// What a host needs to run agents in the sandbox, as `drover doctor` reports it: Linux, bubblewrap
// and socat on the PATH (the same lookups the sandbox makes when it starts a run).
import { onPath } from "./program-mounts.ts";

/** Names of what is missing ("Linux", "bubblewrap (bwrap)", "socat"); empty when a sandbox can start here. */
export function missingSandboxTools(envPath = process.env.PATH ?? "", platform: NodeJS.Platform = process.platform): string[] {
  if (platform !== "linux") return ["Linux"];
  return [...(onPath("bwrap", envPath) ? [] : ["bubblewrap (bwrap)"]), ...(onPath("socat", envPath) ? [] : ["socat"])];
}
