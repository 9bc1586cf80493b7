// The one check every request passes, whoever runs it (proxy.ts for pages, guardedRoute for API
// routes): an unknown Host (DNS rebinding) gets 421, a cross-site mutation 403.
import { hostAllowed, hostPolicy, type HostPolicy } from "./allowed-hosts.ts";
import { crossSiteRefusal } from "./same-origin.ts";

export interface Refusal {
  status: 421 | 403;
  message: string;
}

let policy: HostPolicy | undefined;

export function requestRefusal(req: { method: string; headers: { get(name: string): string | null } }): Refusal | null {
  policy ??= hostPolicy({ DROVER_PUBLIC_URL: process.env.DROVER_PUBLIC_URL, DROVER_ALLOWED_HOSTS: process.env.DROVER_ALLOWED_HOSTS });
  const host = req.headers.get("host");
  if (!hostAllowed(host, policy)) {
    return {
      status: 421,
      message: `Host "${host ?? ""}" is not served here. To open Drover under this name, set DROVER_PUBLIC_URL to its address or add the name to DROVER_ALLOWED_HOSTS.`,
    };
  }
  const crossSite = crossSiteRefusal(req, policy.publicOrigin);
  return crossSite ? { status: 403, message: crossSite } : null;
}
