// How an Actor is stored on an activity (and so audit) row: its kind, its id within the kind, the
// person behind it (for filtering by person) and the label people read.
import { actorLabel, type Actor } from "@drover/core/audit/actor";

export interface ActorColumns {
  actorKind: Actor["kind"];
  actorId: string;
  actorUserId: string | null;
  actorName: string;
}

export function actorColumns(a: Actor): ActorColumns {
  const base = { actorKind: a.kind, actorName: actorLabel(a), actorUserId: null };
  switch (a.kind) {
    case "user":
      return { ...base, actorId: a.userId, actorUserId: a.userId };
    case "token":
      return { ...base, actorId: a.tokenId, actorUserId: a.userId };
    case "cli":
      return { ...base, actorId: `${a.osUser}@${a.host}` };
    case "runner":
      return { ...base, actorId: a.runnerId };
    case "agent":
      return { ...base, actorId: `${a.agentName}#${a.sessionId}` };
    case "automation":
      return { ...base, actorId: a.what };
  }
}
