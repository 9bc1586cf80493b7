// What a run's log says about a connection its sandbox refused (an agent's session event, a gate's
// output line): the address tried, and how the run could reach it if it should.

/** host:port as network_allow spells it (an IPv6 address in brackets). */
const hostPort = (host: string, port: number) => `${host.includes(":") ? `[${host}]` : host}:${port}`;

/** "refused a connection to host:port: ..." (`whose`: "agent coder-1's"; a gate's is the project's). */
export function refusalText(host: string, port: number, direct?: "tcp" | "udp", whose?: string): string {
  const to = hostPort(host, port);
  const list = whose ? `${whose} network allowlist` : "the network allowlist";
  if (!direct) return `refused a connection to ${to}: not on ${list} (add "${to}" to network_allow in .drover/project.toml to allow it)`;
  const what = direct === "udp" ? `a UDP datagram to ${to}` : `a connection to ${to}`;
  return `refused ${what}, made directly: a sandboxed run reaches the network only through its proxy (HTTPS_PROXY), and only the hosts on ${list}; nothing else is reachable (the runner's host and its database included)`;
}
