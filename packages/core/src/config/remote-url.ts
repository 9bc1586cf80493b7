// The one rule for a git remote URL given to Drover as a project's repository. Credentials never
// go in it (it is stored, shown and logged): they come from the runner's environment, its SSH
// agent or a Drover secret. Only plain transports are accepted (no `ext::`, no helper transports).
import { badRequest } from "../errors.ts";

export type RemoteKind = "https" | "http" | "ssh" | "git" | "file";

export interface RemoteUrl {
  /** The URL as git is given it. */
  url: string;
  kind: RemoteKind;
  /** A name for the project: the repository's last path part without `.git`. */
  name: string;
}

/** Transports git may use for a project's remote (and nothing it reaches from there, e.g. submodules over ext::). */
export const REMOTE_PROTOCOLS = "file:git:http:https:ssh";

const SCP_LIKE = /^(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9][A-Za-z0-9.-]*):(.+)$/;
const NO_CREDENTIALS = "put no credentials in the URL: a runner uses its SSH agent or git credential helper, or a Drover secret named with --remote-secret";

function fail(input: string, why: string): never {
  throw badRequest(`"${shown(input)}" is not a usable git remote: ${why}`);
}

/** The input with anything that looks like a password masked, for the error message itself. */
function shown(input: string): string {
  return input.replace(/^([a-z+]+:\/\/)[^@/]*@/i, "$1***@").slice(0, 300);
}

function nameOf(pathPart: string): string {
  const last = pathPart.replace(/\/+$/, "").split(/[/:]/).filter(Boolean).pop() ?? "";
  return last.replace(/\.git$/, "");
}

export function parseRemoteUrl(raw: string): RemoteUrl {
  const input = raw.trim();
  if (!input) fail(raw, "it is empty; give an https://, ssh://, git@host:path or file:// URL");
  if (input.length > 2000) fail(input, "it is longer than 2000 characters");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(input)) fail(input, "it contains spaces or control characters");
  if (input.startsWith("-")) fail(input, "it starts with '-'");
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(input)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (input.includes("::")) fail(input, "remote helpers (transport::address) are not accepted");
    const m = SCP_LIKE.exec(input);
    if (!m || m[3].startsWith("-")) fail(input, "give an https://, ssh://, git://, file:// URL or the scp-like form user@host:path");
    const name = nameOf(m[3]);
    if (!name) fail(input, "it names no repository after the host");
    return { url: input, kind: "ssh", name };
  }
  if (!["https", "http", "ssh", "git", "file"].includes(scheme))
    fail(input, `the scheme ${scheme}:// is not accepted; use https://, ssh://, git:// or file://`);
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    fail(input, "it does not parse as a URL");
  }
  if (u.password) fail(input, NO_CREDENTIALS);
  if (u.username && scheme !== "ssh") fail(input, NO_CREDENTIALS);
  if (u.search || u.hash) fail(input, "it has a ?query or #fragment");
  if (scheme === "file") {
    if (u.host) fail(input, "a file:// URL takes no host: file:///absolute/path");
  } else if (!u.hostname || u.hostname.startsWith("-")) {
    fail(input, "it has no host");
  }
  const name = nameOf(decodeURIComponent(u.pathname));
  if (!name) fail(input, "it names no repository after the host");
  return { url: input, kind: scheme as RemoteKind, name };
}
