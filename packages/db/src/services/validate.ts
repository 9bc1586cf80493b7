// Zod input validation that fails as a DomainError (BAD_REQUEST) with a message saying what to fix.
import type { z } from "zod";
import { badRequest } from "@drover/core/errors";

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const res = schema.safeParse(input);
  if (res.success) return res.data;
  const msg = res.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
  throw badRequest(msg, { issues: res.error.issues });
}
