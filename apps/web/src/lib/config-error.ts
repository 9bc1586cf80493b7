// Pulls "line N" and the key out of a config error message, to point at the spot in the file.
export function locateConfigError(message: string): { line?: number; key?: string } {
  const line = /\bline\s+(\d+)/i.exec(message)?.[1];
  const key = /\bkey\s+[`'"]?([\w.[\]-]+)[`'"]?/i.exec(message)?.[1] ?? /^\s*([\w]+(?:\[\d+\])?(?:\.[\w]+(?:\[\d+\])?)+)\s*:/m.exec(message)?.[1];
  return { line: line ? Number(line) : undefined, key };
}
