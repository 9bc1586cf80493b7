// Where a sandboxed run may connect: "host:port" entries. Each runtime reaches its model API host
// by default, plus the host of any base URL its environment sets (a roster's ANTHROPIC_BASE_URL,
// for example); the project's and the agent's `network_allow` add to that. Everything else is
// refused by the runner's proxy (apps/runner/src/sandbox).
import { credentialsOf } from "./credentials.ts";

/** host:port, the host a name, an IPv4 address or a bracketed IPv6 address. */
export const NETWORK_ENTRY = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}$/;
export const NETWORK_ENTRY_HINT = `must be "host:port", e.g. "registry.npmjs.org:443"`;

/** The model API hosts each CLI talks to when no base URL is set (Gemini's Google login uses the Code Assist host). */
const MODEL_HOSTS: Readonly<Record<string, readonly string[]>> = {
  "claude-code": ["api.anthropic.com:443"],
  codex: ["api.openai.com:443", "chatgpt.com:443"],
  gemini: ["generativelanguage.googleapis.com:443", "cloudcode-pa.googleapis.com:443", "oauth2.googleapis.com:443"],
};

/** "host:port" of a URL (the scheme's port when none is written), or undefined when it is no http(s) URL. */
export function urlEntry(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return undefined;
  return `${u.hostname.toLowerCase()}:${u.port || (u.protocol === "https:" ? "443" : "80")}`;
}

/** The entries a run may reach: the runtime's defaults, base URLs in its environment, then the roster's additions. */
export function networkAllowList(opts: { runtime: string; env: Record<string, string | undefined>; project?: string[]; agent?: string[] }): string[] {
  const out = new Set<string>(MODEL_HOSTS[opts.runtime] ?? []);
  for (const name of credentialsOf(opts.runtime)?.env ?? []) {
    const value = opts.env[name];
    const entry = name.endsWith("_BASE_URL") && value ? urlEntry(value) : undefined;
    if (entry) out.add(entry);
  }
  for (const e of [...(opts.project ?? []), ...(opts.agent ?? [])]) out.add(e.toLowerCase());
  return [...out];
}

/** Whether host:port is on the list (hosts compare case-insensitively; brackets around IPv6 do not matter). */
export function networkAllowed(list: readonly string[], host: string, port: number): boolean {
  const bare = (h: string) => h.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  const want = `${bare(host)}:${port}`;
  return list.some((e) => {
    const i = e.lastIndexOf(":");
    return `${bare(e.slice(0, i))}:${e.slice(i + 1)}` === want;
  });
}
