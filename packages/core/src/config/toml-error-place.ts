// Where a TOML syntax error really is. smol-toml reports an unclosed array or inline table where it
// gave up (often lines later, at the next table header); a person needs the bracket that was opened.

export interface TomlPlace {
  line: number;
  column: number;
  /** Extra words for the message when the place moved. */
  note?: string;
}

const OPENS: Record<string, string> = { "[": "]", "{": "}" };

/** The innermost value bracket still open before (line, column), 1-based; null when none is. */
function unclosedBracketBefore(text: string, line: number, column: number): TomlPlace | null {
  const lines = text.split("\n");
  const end = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  const stack: Array<{ ch: string; line: number; column: number }> = [];
  let inValue = false; // after "=" (a "[" there opens an array; at a line start it is a table header)
  let l = 1;
  let c = 0;
  for (let i = 0; i < end && i < text.length; i++) {
    const ch = text[i]!;
    c++;
    if (ch === "\n") {
      l++;
      c = 0;
      if (!stack.length) inValue = false;
      continue;
    }
    if (ch === "#") {
      const nl = text.indexOf("\n", i);
      const stop = nl < 0 ? text.length : nl;
      c += stop - i - 1;
      i = stop - 1;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const triple = text.startsWith(ch.repeat(3), i);
      const quote = triple ? ch.repeat(3) : ch;
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j) && (triple || text[j] !== "\n")) j += ch === '"' && text[j] === "\\" ? 2 : 1;
      const stop = Math.min(j + (text.startsWith(quote, j) ? quote.length : 0), text.length);
      for (let k = i + 1; k < stop; k++) {
        if (text[k] === "\n") {
          l++;
          c = 0;
        } else c++;
      }
      i = stop - 1;
      continue;
    }
    if (ch === "=" && !stack.length) inValue = true;
    else if (OPENS[ch] && (stack.length || inValue)) stack.push({ ch, line: l, column: c });
    else if ((ch === "]" || ch === "}") && stack.length) stack.pop();
  }
  const open = stack.at(-1);
  if (!open) return null;
  return { line: open.line, column: open.column, note: `"${open.ch}" opened here is never closed with "${OPENS[open.ch]}"` };
}

/** The place to report for a smol-toml error: the unclosed bracket when that is what it tripped over. */
export function tomlErrorPlace(text: string, err: { line: number; column: number; message: string }): TomlPlace {
  if (/expected comma or end of structure|unterminated|end of (array|table)/i.test(err.message)) {
    const open = unclosedBracketBefore(text, err.line, err.column);
    if (open && open.line < err.line) return { ...open, note: `${open.note} (the parser noticed at line ${err.line}, column ${err.column})` };
  }
  return { line: err.line, column: err.column };
}
