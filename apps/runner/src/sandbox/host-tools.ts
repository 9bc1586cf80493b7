// What a host needs to run agents in the sandbox, as `drover doctor` reports it and the sandbox
// looks it up when it starts a run: Linux, bubblewrap and socat on the PATH, and, to report the
// connections a run makes past its proxy (direct-refusals.ts), unshare, ip and tcpdump.
import { onPath } from "./program-mounts.ts";
import type { NetnsTools } from "./direct-refusals.ts";

/** Administration tools live in sbin, which an ordinary user's PATH often lacks. */
const withSbin = (envPath: string) => [envPath, "/usr/sbin", "/sbin"].filter(Boolean).join(":");

/** The tools the network-namespace wrapper runs, by absolute path, or the names of those missing. */
export function netnsTools(envPath = process.env.PATH ?? ""): { tools?: NetnsTools; missing: string[] } {
  const found = {
    socat: onPath("socat", envPath),
    unshare: onPath("unshare", withSbin(envPath)),
    ip: onPath("ip", withSbin(envPath)),
    tcpdump: onPath("tcpdump", withSbin(envPath)),
  };
  const names: Record<keyof NetnsTools, string> = { socat: "socat", unshare: "unshare (util-linux)", ip: "ip (iproute2)", tcpdump: "tcpdump" };
  const missing = (Object.keys(found) as (keyof NetnsTools)[]).filter((k) => !found[k]).map((k) => names[k]);
  return missing.length ? { missing } : { tools: found as NetnsTools, missing };
}

/** Names of what is missing ("Linux", "bubblewrap (bwrap)", "socat", "tcpdump"...); empty when a sandbox can start here. */
export function missingSandboxTools(envPath = process.env.PATH ?? "", platform: NodeJS.Platform = process.platform): string[] {
  if (platform !== "linux") return ["Linux"];
  return [...(onPath("bwrap", envPath) ? [] : ["bubblewrap (bwrap)"]), ...netnsTools(envPath).missing];
}
