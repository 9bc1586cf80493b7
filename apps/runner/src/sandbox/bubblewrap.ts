// Finds bubblewrap and turns a run's mounts into its arguments. Every path is bound at its own
// (real) path, so worktree paths in prompts and git's gitdir pointers stay true inside.
import fs from "node:fs";
import path from "node:path";
import { hiddenPathAdvice, INSTALL_SANDBOX_TOOLS } from "@drover/core/runtimes/sandbox-advice";
import { onPath } from "./program-mounts.ts";

export class SandboxUnavailableError extends Error {}

/** A command names host paths its sandbox does not show (it would fail inside with "not found"). */
export class HiddenPathError extends Error {
  constructor(
    readonly paths: string[],
    who = "this command",
  ) {
    super(hiddenPathAdvice(who, paths));
  }
}

/** Where `bwrap` was found on the runner's PATH; refuses with how to install it when it is missing. */
export function findBwrap(envPath = process.env.PATH ?? ""): string {
  if (process.platform !== "linux")
    throw new SandboxUnavailableError(
      `Sandboxed runs need Linux (bubblewrap); this runner is on ${process.platform}. Run the runner on Linux, or set sandbox = false in .drover/project.toml (the board then warns that runs are not contained).`,
    );
  const found = onPath("bwrap", envPath);
  if (found) return found;
  throw new SandboxUnavailableError(
    `bubblewrap (bwrap) is not installed on this runner's host, and this project runs its agents in a sandbox: install it (${INSTALL_SANDBOX_TOOLS}), or set sandbox = false in .drover/project.toml (the board then warns that runs are not contained)`,
  );
}

export interface Mounts {
  /** Bound read-only (the system, the CLI's install folder, git's common dir). */
  readOnly: string[];
  /** Bound read-write, after readOnly (so a writable folder inside a read-only one stays writable). */
  readWrite: string[];
  /** Empty, writable, gone with the run (a gate's HOME), made before any binding. */
  empty: string[];
  /** A file put in place read-only: [host file, path inside]. */
  files: [string, string][];
}

const SYSTEM = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt"];
/** What CLIs need from /etc: name lookup, TLS roots, dynamic linker, time zone, Debian's alternatives links. */
const ETC = [
  "hosts",
  "hostname",
  "resolv.conf",
  "nsswitch.conf",
  "host.conf",
  "gai.conf",
  "ssl",
  "ca-certificates",
  "ca-certificates.conf",
  "pki",
  "alternatives",
  "localtime",
  "timezone",
  "ld.so.cache",
  "ld.so.conf",
  "ld.so.conf.d",
  "mime.types",
  "os-release",
  "gitconfig",
];

/** `--ro-bind`/`--bind` for a path, or `--symlink` when it is a link (usr-merged /bin → usr/bin). */
function bindOrLink(args: string[], p: string, flag: "--ro-bind" | "--bind"): void {
  const st = fs.lstatSync(p, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isSymbolicLink()) {
    args.push("--symlink", fs.readlinkSync(p), p);
    return;
  }
  args.push(flag, p, p);
}

/** Binds `p` at its real path, and at `p` too when a link leads there (the run may be told either). */
function bindReal(args: string[], p: string, flag: "--ro-bind" | "--bind"): void {
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch {
    return; // gone: nothing to show
  }
  args.push(flag, real, real);
  if (real !== path.resolve(p)) args.push(flag, real, path.resolve(p));
}

const under = (p: string, root: string) => p === root || p.startsWith(root.endsWith("/") ? root : `${root}/`);

/**
 * The absolute paths among `argv` that exist on the host but that a run with `mounts` does not see
 * (bwrapArgs below shows only these roots; /tmp, /run and `empty` are fresh inside).
 */
export function hiddenPaths(argv: string[], mounts: Mounts): string[] {
  const roots = [...SYSTEM, ...ETC.map((n) => path.join("/etc", n)), "/proc", "/dev", ...mounts.files.map(([, to]) => to)];
  for (const p of [...mounts.readOnly, ...mounts.readWrite]) {
    roots.push(path.resolve(p));
    try {
      roots.push(fs.realpathSync(p)); // bindReal shows it at its real path too
    } catch {}
  }
  return argv.filter((a) => a.startsWith("/") && fs.existsSync(a) && !roots.some((r) => under(path.resolve(a), r)));
}

/** `inheritNet`: bwrap runs in a network namespace made for the run already (direct-refusals.ts), not a new one. */
export function bwrapArgs(opts: { mounts: Mounts; cwd: string; uid?: number; gid?: number; inheritNet?: boolean }): string[] {
  const args = [
    "--unshare-user",
    "--unshare-ipc",
    "--unshare-pid",
    ...(opts.inheritNet ? [] : ["--unshare-net"]),
    "--unshare-uts",
    "--unshare-cgroup-try",
    // No --die-with-parent: a run's whole process group (bwrap and everything inside) is the
    // runner's guard's and reaper's to kill, as without a sandbox.
    "--cap-drop",
    "ALL",
  ];
  // No user namespaces inside: less kernel surface (Codex's own sandbox is off in ours, see its adapter).
  args.push("--disable-userns");
  if (opts.uid !== undefined) args.push("--uid", String(opts.uid), "--gid", String(opts.gid ?? opts.uid));
  for (const p of SYSTEM) bindOrLink(args, p, "--ro-bind");
  for (const name of ETC) bindOrLink(args, path.join("/etc", name), "--ro-bind");
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--tmpfs", "/run");
  for (const p of opts.mounts.empty) args.push("--tmpfs", p);
  for (const [from, to] of opts.mounts.files) args.push("--ro-bind", from, to);
  for (const p of opts.mounts.readOnly) bindReal(args, p, "--ro-bind");
  for (const p of opts.mounts.readWrite) bindReal(args, p, "--bind");
  args.push("--chdir", opts.cwd);
  return args;
}
