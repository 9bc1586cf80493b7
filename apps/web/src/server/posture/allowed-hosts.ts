// Which Host headers this server answers (DNS rebinding: a page on evil.example whose name now
// resolves to 127.0.0.1 still sends "Host: evil.example"). Loopback names always; more only when
// configured: the host of DROVER_PUBLIC_URL and the comma-separated DROVER_ALLOWED_HOSTS.

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export interface HostPolicy {
  /** Lower-case "name" (any port) or "name:port" entries. */
  allowed: Set<string>;
  /** The public origin behind a reverse proxy (DROVER_PUBLIC_URL), if set. */
  publicOrigin: string | null;
}

export function hostPolicy(env: { DROVER_PUBLIC_URL?: string; DROVER_ALLOWED_HOSTS?: string }): HostPolicy {
  const allowed = new Set<string>();
  let publicOrigin: string | null = null;
  if (env.DROVER_PUBLIC_URL?.trim()) {
    let url: URL;
    try {
      url = new URL(env.DROVER_PUBLIC_URL.trim());
    } catch {
      throw new Error(`DROVER_PUBLIC_URL "${env.DROVER_PUBLIC_URL}" is not a URL: set it to the address people open, like https://drover.example.com`);
    }
    publicOrigin = url.origin;
    allowed.add(url.host.toLowerCase());
  }
  for (const h of (env.DROVER_ALLOWED_HOSTS ?? "").split(",")) {
    const host = h.trim().toLowerCase();
    if (host) allowed.add(host);
  }
  return { allowed, publicOrigin };
}

/** "Name:port" → name and port; IPv6 literals keep their brackets. */
function splitHost(host: string): { name: string; port: string | null } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  return m ? { name: m[1]!, port: m[2] ?? null } : { name: host.trim().toLowerCase(), port: null };
}

export function hostAllowed(host: string | null, policy: HostPolicy): boolean {
  if (!host) return false;
  const { name, port } = splitHost(host);
  if (LOOPBACK.has(name)) return true;
  return policy.allowed.has(name) || (port !== null && policy.allowed.has(`${name}:${port}`));
}
