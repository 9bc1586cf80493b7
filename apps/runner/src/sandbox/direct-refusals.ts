// Connections a run makes past its proxy (a raw socket to 127.0.0.1:5432, to any IP:port, a UDP
// datagram) are refused by its network namespace, which has nothing but loopback. To report each
// with the address tried, the runner (root) makes that namespace itself, before bubblewrap runs in
// it: every address is local there (routes `local 0.0.0.0/0` and `local ::/0` on lo), so a SYN to
// anywhere is answered by the kernel's RST at once (ECONNREFUSED) and a datagram by ICMP port
// unreachable, and tcpdump on lo, root's and outside the run's reach, sees both. This file holds
// the wrapper that sets the namespace up and the reader of what tcpdump saw.
import fs from "node:fs";

export interface DirectRefusal {
  host: string;
  port: number;
  protocol: "tcp" | "udp";
}

/** The tools the wrapper runs (absolute paths: the run's PATH may lack /usr/sbin). */
export interface NetnsTools {
  unshare: string;
  ip: string;
  tcpdump: string;
  socat: string;
}

/**
 * SYNs and RSTs (IPv4 and IPv6: libpcap's tcp[] does not reach IPv6), and ICMP port unreachable.
 * The SYN/SYN-ACK/RST triple tells a refusal from a connection a run makes to itself.
 */
const FILTER = "(tcp[tcpflags] & (tcp-syn|tcp-rst) != 0) or (ip6[6] == 6 and ip6[53] & 6 != 0) or (icmp[icmptype] == icmp-unreach) or (icmp6 and ip6[40] == 1)";

/**
 * Runs as root in the new network namespace (`unshare --net`), around bubblewrap: loopback up, every
 * address local, tcpdump writing to the capture log; while bubblewrap starts, once tcpdump
 * listens, `ready` appears in the folder the run sees at /run/drover/netns, and the run's own
 * start-up (sandbox.ts) waits for it. After the run, a connection to the marker port, once tcpdump
 * has printed it, says the capture log holds everything before it; then tcpdump goes and the run's
 * exit status is passed on. Positional: the capture log, the ready folder, the marker port, ip,
 * tcpdump, socat, then bwrap and its arguments (run, not parsed, by "$@").
 */
const NETNS = [
  `log=$1 ready=$2 marker=$3 ip=$4 tcpdump=$5 socat=$6; shift 6`,
  // tcpdump refuses a loopback that is not up: ip first (a few ms).
  `printf 'link set lo up\\nroute add local 0.0.0.0/0 dev lo\\nroute add local ::/0 dev lo\\n' | "$ip" -batch - ||`,
  `  echo "Drover sandbox: ip could not set up this run's network namespace" >&2`,
  `"$tcpdump" -i lo -n -l -t -S --immediate-mode '${FILTER}' >>"$log" 2>"$log.err" &`,
  `capture=$!`,
  `{ i=0; while ! grep -q '^listening on' "$log.err" && kill -0 $capture 2>/dev/null && [ $i -lt 1000 ]; do i=$((i+1)); sleep 0.002; done`,
  `  grep -q '^listening on' "$log.err" || echo "Drover sandbox: connections made past the proxy go unreported: $(cat "$log.err")" >&2`,
  `  : >"$ready/ready"; } &`,
  `"$@"`,
  `rc=$?`,
  `"$socat" -u OPEN:/dev/null TCP:127.0.0.1:$marker 2>/dev/null`,
  `i=0; while ! grep -q "^IP 127.0.0.1.$marker > " "$log" && kill -0 $capture 2>/dev/null && [ $i -lt 250 ]; do i=$((i+1)); sleep 0.002; done`,
  `kill $capture 2>/dev/null`,
  `exit $rc`,
].join("\n");

/** The command that runs `bwrap` (with its arguments, no --unshare-net) in a namespace made and watched as above. */
export function netnsWrapper(tools: NetnsTools, capture: { log: string; ready: string; marker: number }, bwrap: string[]): { file: string; args: string[] } {
  return {
    file: tools.unshare,
    args: [
      "--net",
      "--",
      "/bin/sh",
      "-c",
      NETNS,
      "drover-netns",
      capture.log,
      capture.ready,
      String(capture.marker),
      tools.ip,
      tools.tcpdump,
      tools.socat,
      ...bwrap,
    ],
  };
}

/** "127.0.0.1.5432" / "::1.5432" → host and port (tcpdump -n joins them with a dot). */
function endpoint(s: string): { host: string; port: number } | undefined {
  const i = s.lastIndexOf(".");
  const port = Number(s.slice(i + 1));
  return i > 0 && Number.isInteger(port) ? { host: s.slice(0, i), port } : undefined;
}

const TCP = /^IP6? (\S+) > (\S+): Flags \[([^\]]*)\], seq (\d+)(?:, ack (\d+))?/;
const ICMP4 = /^IP \S+ > \S+: ICMP (\S+) udp port (\d+) unreachable/;
const ICMP6 = /^IP6 \S+ > \S+: ICMP6, destination unreachable, unreachable port, (\S+) udp port (\d+)/;

/** Reads tcpdump's lines (in order) and tells which were refusals: a SYN answered by a RST, a datagram by ICMP port unreachable. */
export class RefusalParser {
  /** SYNs not answered yet: "src > dst" → the SYN's sequence number. */
  private readonly pending = new Map<string, number>();

  line(text: string): DirectRefusal | undefined {
    const udp = ICMP4.exec(text) ?? ICMP6.exec(text);
    if (udp) return { host: udp[1]!, port: Number(udp[2]), protocol: "udp" };
    const m = TCP.exec(text);
    if (!m) return undefined;
    const [, src, dst, flags, seq, ack] = m;
    if (flags === "S") {
      if (this.pending.size > 1000) this.pending.clear(); // only unanswered SYNs stay: bounded
      this.pending.set(`${src} > ${dst}`, Number(seq));
      return undefined;
    }
    const asked = this.pending.get(`${dst} > ${src}`);
    if (asked === undefined) return undefined;
    this.pending.delete(`${dst} > ${src}`);
    // Accepted (SYN-ACK): a connection the run made to itself. Refused: RST acknowledging the SYN.
    if (!flags!.startsWith("R") || (ack !== undefined && Number(ack) !== (asked + 1) % 2 ** 32)) return undefined;
    const to = endpoint(src!);
    return to && { ...to, protocol: "tcp" };
  }
}

/**
 * Follows the capture log as tcpdump appends to it and reports each refused address once (a run
 * retrying in a loop would flood the session log); `close` reads what is left.
 */
export function followCaptureLog(file: string, marker: number, onRefused: (r: DirectRefusal) => void): { close(): void } {
  fs.writeFileSync(file, "");
  const parser = new RefusalParser();
  const seen = new Set<string>();
  let offset = 0;
  let partial = "";
  const read = () => {
    let fd: number;
    try {
      fd = fs.openSync(file, "r");
    } catch {
      return;
    }
    try {
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, offset);
        if (n <= 0) break;
        offset += n;
        partial += buf.toString("utf8", 0, n);
      }
    } finally {
      fs.closeSync(fd);
    }
    const lines = partial.split("\n");
    partial = lines.pop()!;
    for (const l of lines) {
      const r = parser.line(l);
      if (!r || (r.host === "127.0.0.1" && r.port === marker && r.protocol === "tcp")) continue;
      const key = `${r.protocol} ${r.host} ${r.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        onRefused(r);
      } catch {
        // a reporting failure must not stop the reading
      }
    }
  };
  const watcher = fs.watch(file, read);
  watcher.on("error", () => {});
  return {
    close() {
      watcher.close();
      read();
    },
  };
}
