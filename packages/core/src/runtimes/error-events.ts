// Which session events are errors: the log view marks them and "jump to next error" visits them.
// One table, read by isErrorEvent here and turned into SQL by the data layer (tested to agree).

/** Kinds that are always errors. */
export const ERROR_KINDS = ["error"] as const;

/** Kinds that are errors when a payload field holds a given value. */
export const ERROR_WHEN = [
  { kind: "tool_result", field: "ok", value: false },
  { kind: "gate", field: "passed", value: false },
  { kind: "result", field: "isError", value: true },
] as const;

/**
 * Kinds that are errors when their text says so: a stderr line with the word "error" or "ERROR",
 * or ending a name in "Error" ("TypeError:"), but not "errors" or "0 errors". The same pattern
 * twice: for JavaScript, and for PostgreSQL (whose word boundary is \y).
 */
export const ERROR_TEXT = [{ kind: "stderr", js: /\b(error|ERROR)\b|Error\b/, sql: "\\y(error|ERROR)\\y|Error\\y" }] as const;

export function isErrorEvent(e: { kind: string; payload: unknown; text?: string | null }): boolean {
  if ((ERROR_KINDS as readonly string[]).includes(e.kind)) return true;
  const p = (e.payload ?? {}) as Record<string, unknown>;
  if (ERROR_WHEN.some((w) => e.kind === w.kind && p[w.field] === w.value)) return true;
  return ERROR_TEXT.some((t) => e.kind === t.kind && !!e.text && t.js.test(e.text));
}
