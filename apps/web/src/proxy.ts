// Runs before every request: refuses unknown Host headers (DNS rebinding) and cross-site
// mutations, and puts the security headers (with a fresh CSP nonce) on every response.
import { NextResponse, type NextRequest } from "next/server";
import { hostAllowed, hostPolicy, type HostPolicy } from "@/server/posture/allowed-hosts";
import { crossSiteRefusal } from "@/server/posture/same-origin";
import { securityHeaders } from "@/server/posture/security-headers";

let policy: HostPolicy | undefined;

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const headers = securityHeaders(nonce, process.env.NODE_ENV === "development");
  const refuse = (status: number, message: string) =>
    new NextResponse(`${message}\n`, { status, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });

  policy ??= hostPolicy({ DROVER_PUBLIC_URL: process.env.DROVER_PUBLIC_URL, DROVER_ALLOWED_HOSTS: process.env.DROVER_ALLOWED_HOSTS });
  const host = request.headers.get("host");
  if (!hostAllowed(host, policy)) {
    return refuse(
      421,
      `Host "${host ?? ""}" is not served here. To open Drover under this name, set DROVER_PUBLIC_URL to its address or add the name to DROVER_ALLOWED_HOSTS.`,
    );
  }
  const crossSite = crossSiteRefusal(request, policy.publicOrigin);
  if (crossSite) return refuse(403, crossSite);

  // Next.js reads the nonce from the request's CSP header and puts it on its scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
  return response;
}
