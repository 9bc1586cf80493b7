// The one home for "run this command in a sandbox" (agents, setup, gates, teardown): bubblewrap
// with only the mounts a run needs (bubblewrap.ts), no network but a per-run filtering proxy
// (network-proxy.ts) reached through a bridge inside, and, when the runner is root, an
// unprivileged uid inside and a network namespace made by the runner that reports each connection
// made past the proxy (direct-refusals.ts). Chosen over @anthropic-ai/sandbox-runtime: that package shows the whole
// file system read-only and hides a deny-list, keeps one proxy and one allowlist (domains, no
// ports) per process, and takes the command as a shell string; a run here must see an allow-list
// of paths, have its own host:port list and report its own refusals, and never go through a shell.
import { randomInt } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { INSTALL_SANDBOX_TOOLS } from "@drover/core/runtimes/sandbox-advice";
import { bwrapArgs, findBwrap, HiddenPathError, hiddenPaths, type Mounts, SandboxUnavailableError } from "./bubblewrap.ts";
import { followCaptureLog, netnsWrapper } from "./direct-refusals.ts";
import { gitMounts } from "./git-access.ts";
import { netnsTools } from "./host-tools.ts";
import { startNetworkProxy } from "./network-proxy.ts";
import { programMounts } from "./program-mounts.ts";

/** The uid (and gid) a root runner's runs have inside the sandbox: an ordinary user, so no CLI believes it is root. */
const SANDBOX_UID = 1000;
const PROXY_PORT = 3128;
const PROXY_SOCKET = "/run/drover/proxy.sock";

/** Where a root runner's run sees `ready` appear once its network namespace is set up and watched. */
const NETNS_READY = "/run/drover/netns";

/**
 * Runs inside the sandbox before the command: when the runner made the network namespace, waits
 * until it is set up and watched (made meanwhile, while bubblewrap starts: direct-refusals.ts);
 * then a bridge from 127.0.0.1:3128 (the proxy every client is pointed at) to the runner's proxy
 * socket, then the command itself via exec "$@" (its argv is never parsed by this shell). It waits,
 * briefly, until the bridge listens so the first connection finds it.
 */
const BRIDGE = [
  `if [ -d ${NETNS_READY} ]; then i=0; while [ ! -e ${NETNS_READY}/ready ] && [ $i -lt 1000 ]; do i=$((i+1)); sleep 0.002; done; fi`,
  `socat TCP-LISTEN:${PROXY_PORT},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${PROXY_SOCKET} 2>/dev/null &`,
  `i=0; while ! grep -q ' 0100007F:${PROXY_PORT.toString(16).toUpperCase().padStart(4, "0")} 00000000:0000 0A ' /proc/net/tcp && [ $i -lt 400 ]; do i=$((i+1)); sleep 0.005; done`,
  `exec "$@"`,
].join("\n");

export interface SandboxRequest {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** The worktree whose git folders the run sees; `commit` gives it what a commit writes. */
  git?: { worktree: string; commit: boolean };
  /** Read-write folders (the worktree, the session's folder, the runtime's state folder). */
  writable: string[];
  /** Empty writable folders made for the run (a gate's HOME and TMPDIR). */
  empty?: string[];
  /** host:port entries the proxy lets through. */
  allow: string[];
  /**
   * A connection refused: by the proxy (not on `allow`; `direct` unset), or made past it
   * (`direct`: a raw TCP connection or a UDP datagram to anywhere but the proxy; root runners only).
   */
  onRefused: (host: string, port: number, direct?: "tcp" | "udp") => void;
  /** Who names the command, for the refusal of a path the run would not see ("agent coder-1's command"). */
  who?: string;
}

export interface SandboxedCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** Stops the proxy and removes the run's sandbox folder; call once the command has exited. */
  close(): Promise<void>;
}

function findNetnsTools(envPath: string) {
  const { tools, missing } = netnsTools(envPath);
  if (tools) return tools;
  throw new SandboxUnavailableError(
    `${missing.join(", ")} not installed on this runner's host; sandboxed runs need them to reach their network allowlist and report what they may not reach: install them (${INSTALL_SANDBOX_TOOLS}), or set sandbox = false in .drover/project.toml`,
  );
}

/** Wraps a command in the sandbox. Throws SandboxUnavailableError (with how to install it) when bubblewrap is missing. */
export async function sandboxCommand(req: SandboxRequest): Promise<SandboxedCommand> {
  const bwrap = findBwrap();
  const tools = findNetnsTools(process.env.PATH ?? "");
  const git = req.git ? gitMounts(req.git.worktree, req.git.commit) : { readOnly: [], readWrite: [] };
  const shown: Omit<Mounts, "files"> = {
    empty: req.empty ?? [],
    readOnly: [...programMounts([req.argv[0]!, "node", "sh"], req.env.PATH ?? process.env.PATH ?? ""), ...git.readOnly],
    readWrite: [...git.readWrite, ...req.writable],
  };
  // Refused before anything starts: inside, the command would fail as if the file were missing.
  const hidden = hiddenPaths(req.argv, { ...shown, files: [] });
  if (hidden.length > 0) throw new HiddenPathError(hidden, req.who);
  // Unix socket paths are short (108 bytes): a folder of its own in the system's temp folder.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-sbx-"));
  const root = process.getuid?.() === 0;
  const uid = root ? SANDBOX_UID : (process.getuid?.() ?? SANDBOX_UID);
  const gid = root ? SANDBOX_UID : (process.getgid?.() ?? SANDBOX_UID);
  const home = req.env.HOME ?? "/tmp";
  fs.writeFileSync(path.join(dir, "passwd"), `root:x:0:0:root:/root:/usr/sbin/nologin\ndrover:x:${uid}:${gid}:Drover run:${home}:/bin/sh\n`);
  fs.writeFileSync(path.join(dir, "group"), `root:x:0:\ndrover:x:${gid}:\n`);
  let proxy: Awaited<ReturnType<typeof startNetworkProxy>>;
  try {
    proxy = await startNetworkProxy({ socketPath: path.join(dir, "proxy.sock"), allow: req.allow, onRefused: req.onRefused });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const args = bwrapArgs({
    cwd: req.cwd,
    inheritNet: root,
    ...(root ? { uid, gid } : {}),
    mounts: {
      ...shown,
      files: [
        [path.join(dir, "passwd"), "/etc/passwd"],
        [path.join(dir, "group"), "/etc/group"],
      ],
    },
  });
  // The socket goes in after /run's tmpfs; binding it read-write lets the bridge connect.
  args.push("--bind", proxy.socketPath, PROXY_SOCKET);
  const url = `http://127.0.0.1:${PROXY_PORT}`;
  const env: Record<string, string> = { ...req.env };
  for (const k of ["NO_PROXY", "no_proxy"]) delete env[k]; // a local base URL must go through the proxy too
  for (const k of ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"]) env[k] = url;
  if (root) env.USER = env.LOGNAME = "drover";
  // Making and watching a network namespace needs root on the host; otherwise bwrap makes an
  // empty one, which refuses a direct connection as well but reports none.
  const capture = root ? { log: path.join(dir, "capture.log"), ready: path.join(dir, "netns"), marker: randomInt(1024, 65536) } : undefined;
  if (capture) {
    fs.mkdirSync(capture.ready);
    args.push("--ro-bind", capture.ready, NETNS_READY);
  }
  const boxed = [bwrap, ...args, "--", "/bin/sh", "-c", BRIDGE, "drover-sandbox", ...req.argv];
  const following = capture && followCaptureLog(capture.log, capture.marker, (r) => req.onRefused(r.host, r.port, r.protocol));
  return {
    ...(capture ? netnsWrapper(tools, capture, boxed) : { file: bwrap, args: boxed.slice(1) }),
    env,
    close: async () => {
      following?.close();
      await proxy.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
