// A failed call as one line for the person who made it: the server's own message (a rule's
// reason, "field: problem" for bad input), else the error's text.
import { TRPCClientError } from "@trpc/client";

// A page loaded before the server changed may call a procedure that no longer exists.
const missing = (err: Error) => /No procedure found|No "mutation"-procedure/i.test(err.message);

export function errorMessage(err: unknown): string {
  if (err instanceof TRPCClientError) {
    // Input validation failures arrive as zod's issue list in JSON: say them as "field: problem".
    if (err.message.startsWith("[")) {
      try {
        const issues = JSON.parse(err.message) as { path?: (string | number)[]; message: string }[];
        return issues.map((i) => (i.path?.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
      } catch {
        /* not JSON after all */
      }
    }
    if (missing(err)) return `This action is not available yet on the server (${err.message}).`;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
