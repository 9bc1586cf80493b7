// What a session's token lets its agent touch: its own project (any story there is readable) and
// its own story (the one most tools write to). Read from the database on every request, so a
// session that ended, or was stopped, is refused even before its token is revoked.
import { DomainError } from "@drover/core/errors";
import type { Actor } from "@drover/core/audit/actor";
import type { Db } from "@drover/db";

export interface SessionScope {
  sessionId: number;
  projectId: number;
  projectName: string;
  storyId: number;
  storyNumber: number;
  agentName: string;
  /** coder, qa, mergemaster, other */
  stage: string;
  worktreePath: string | null;
}

/** Refusals the HTTP layer answers with 401/403 (no tool runs). */
export class ScopeError extends Error {
  constructor(
    readonly status: 401 | 403 | 413,
    message: string,
  ) {
    super(message);
  }
}

export async function sessionScope(db: Db, sessionId: number): Promise<SessionScope> {
  const s = await db.agentSession.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      status: true,
      stage: true,
      worktreePath: true,
      projectId: true,
      project: { select: { name: true } },
      storyId: true,
      story: { select: { number: true } },
      agent: { select: { name: true } },
    },
  });
  if (!s) throw new ScopeError(401, "This Drover token belongs to no session");
  if (s.status !== "running") throw new ScopeError(403, `Session ${s.id} is ${s.status}: its Drover tools work only while it runs`);
  return {
    sessionId: s.id,
    projectId: s.projectId,
    projectName: s.project.name,
    storyId: s.storyId,
    storyNumber: s.story.number,
    agentName: s.agent.name,
    stage: s.stage,
    worktreePath: s.worktreePath,
  };
}

export const agentActor = (scope: SessionScope): Actor => ({ kind: "agent", agentName: scope.agentName, sessionId: scope.sessionId });

/** A tool asked about a project by name: only the session's own. */
export function assertProject(scope: SessionScope, project: string | undefined): void {
  if (project !== undefined && project !== scope.projectName && project !== String(scope.projectId)) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      `Refused: this session works on project "${scope.projectName}"; its Drover tools cannot read or change project "${project}"`,
    );
  }
}
