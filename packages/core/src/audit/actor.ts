// Who made a change: the one vocabulary the audit trail, the activity feed and the story page use.
// The API fills it from the signed-in user or token, the command line from the OS user and host,
// the runner with its id, and Drover's own automation with what it was doing.

export type Actor =
  | { kind: "user"; userId: string; name: string }
  | { kind: "token"; tokenId: string; userId: string; name: string }
  | { kind: "cli"; osUser: string; host: string }
  | { kind: "runner"; runnerId: string }
  /** An agent acting through Drover's MCP tools, in one of its sessions. */
  | { kind: "agent"; agentName: string; sessionId: number }
  | { kind: "automation"; what: "auto-assign" | "retry" | "rate-limit-restart" | "merge" | "recovery" | "demo" | (string & {}) };

/** A short name for people: "Ana", "Ana (token deploy-bot)", "cli root@host", "runner r1", "agent coder-1", "auto-assign". */
export function actorLabel(a: Actor): string {
  switch (a.kind) {
    case "user":
      return a.name;
    case "token":
      return `${a.name} (token)`;
    case "cli":
      return `${a.osUser}@${a.host} (command line)`;
    case "runner":
      return `runner ${a.runnerId}`;
    case "agent":
      return `agent ${a.agentName}`;
    case "automation":
      return a.what;
  }
}
