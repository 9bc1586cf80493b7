// Cross-site requests may not change anything: a state-changing method must come from a page of
// this origin (its Origin header), or from a client that is not a browser (no Origin, no
// Sec-Fetch-Site), like the command line or a script with a token.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function crossSiteRefusal(req: { method: string; headers: { get(name: string): string | null } }, publicOrigin: string | null): string | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  const origin = req.headers.get("origin");
  const host = req.headers.get("host");
  if (origin) {
    let from: URL | null = null;
    try {
      from = origin === "null" ? null : new URL(origin);
    } catch {
      from = null;
    }
    if (from && (from.host.toLowerCase() === host?.toLowerCase() || from.origin === publicOrigin)) return null;
    return `Cross-site request refused: a ${req.method} from ${origin} may not change anything on ${host ?? "this server"}`;
  }
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none")
    return `Cross-site request refused: a ${req.method} from another site (${site}) may not change anything`;
  return null;
}
