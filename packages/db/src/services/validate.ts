// Zod input validation that fails as a DomainError (BAD_REQUEST) with a message saying what to fix,
// and the shared schemas every input reuses for ids and text.
import { z } from "zod";
import { badRequest } from "@drover/core/errors";

/** Largest value of a Postgres int4 column (ids, story numbers, counts, seqs). */
const INT4_MAX = 2_147_483_647;

const int4 = (min: number) =>
  z
    .number({ error: (iss) => (iss.code === "invalid_type" ? "must be a number" : undefined) })
    .int({ error: "must be a whole number" })
    .min(min, { error: `must be at least ${min}` })
    .max(INT4_MAX, { error: `must be at most ${INT4_MAX}` });

/** An id or number a row is found by: 1..2147483647. */
export const idSchema = int4(1);
/** A position, index, count or seq stored as int4: 0..2147483647. */
export const indexSchema = int4(0);

/** Any text from a caller. Postgres text cannot hold NUL, so it is refused here with a clear error. */
export const textSchema = z
  .string({ error: (iss) => (iss.code === "invalid_type" ? "must be text" : undefined) })
  .refine((s) => !s.includes("\0"), { error: "must not contain NUL characters (\\u0000); remove them" });

/**
 * Zod issues as one line: "field: problem; field: problem". A message that already starts with
 * its field's name ("Title is too long: ...") is a sentence of its own and gets no prefix.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const named = (i: z.core.$ZodIssue) => i.message.toLowerCase().startsWith(String(i.path[0]).toLowerCase());
  return issues.map((i) => (i.path.length && !named(i) ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const res = schema.safeParse(input);
  if (res.success) return res.data;
  throw badRequest(describeIssues(res.error.issues), { issues: res.error.issues });
}

/** Like parseInput, for forms that check before sending: the problems as one line instead of a throw. */
export function checkInput<S extends z.ZodType>(schema: S, input: unknown): { ok: true; data: z.output<S> } | { ok: false; error: string } {
  const res = schema.safeParse(input);
  return res.success ? { ok: true, data: res.data } : { ok: false, error: describeIssues(res.error.issues) };
}
