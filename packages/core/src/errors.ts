// Domain errors carry a code the API layer maps to a transport status (tRPC code, CLI exit code),
// and a message that says what to fix.
export type DomainErrorCode =
  | "NOT_FOUND" // unknown project, story, agent, session
  | "BAD_REQUEST" // malformed input: bad id, path trick, invalid config
  | "CONFLICT" // a rule says no right now: agent busy, stage taken
  | "PRECONDITION_FAILED"; // a rule says no for this state: wrong stage, illegal move

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (msg: string, details?: Record<string, unknown>) => new DomainError("NOT_FOUND", msg, details);
export const badRequest = (msg: string, details?: Record<string, unknown>) => new DomainError("BAD_REQUEST", msg, details);
export const conflict = (msg: string, details?: Record<string, unknown>) => new DomainError("CONFLICT", msg, details);
export const precondition = (msg: string, details?: Record<string, unknown>) => new DomainError("PRECONDITION_FAILED", msg, details);
