// Points a config error at its place in the file: the line from a TOML syntax error
// ("at line 12, column 3"), or, for a schema error ("agent[1] (qa-1).max_turns: must be a number"),
// the key's path, found in the file's text by walking its table headers.
export interface ConfigProblem {
  message: string;
  key?: string;
  line?: number;
}

export function locateConfigErrors(message: string, text: string | null): ConfigProblem[] {
  const syntax = /\bat line (\d+)/i.exec(message);
  if (syntax) return [{ message, line: Number(syntax[1]) }];
  const issues = message
    .split("\n")
    .slice(1)
    .map((l) => l.trim())
    .filter(Boolean);
  if (!issues.length) return [{ message }];
  return issues.map((issue) => {
    const m = /^([^:]+?):\s(.*)$/.exec(issue);
    if (!m) return { message: issue };
    const key = m[1]!.replace(/\s\([^)]*\)/g, "");
    return { message: issue, key, line: text ? lineOfKey(text, key) : undefined };
  });
}

/** 1-based line of a dotted key path (agent[1].max_turns, prices.model.input, base_branch). */
export function lineOfKey(text: string, key: string): number | undefined {
  const parts = key.split(".");
  const lines = text.split("\n");
  // Which table holds the last part: the longest prefix naming a table or an array-of-tables entry.
  let table = "";
  let index = 0;
  let leaf = parts[parts.length - 1]!;
  const arr = /^(\w+)\[(\d+)\]$/.exec(parts[0]!);
  if (arr) {
    table = `[[${arr[1]}]]`;
    index = Number(arr[2]);
    if (parts.length === 1) leaf = "";
  } else if (parts.length > 1) {
    table = `[${parts.slice(0, -1).join(".")}]`;
  }
  let start = 0;
  if (table) {
    let seen = -1;
    start = -1;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.trim() === table && ++seen === index) {
        start = i;
        break;
      }
    }
    if (start < 0) return undefined;
    if (!leaf) return start + 1;
  }
  for (let i = table ? start + 1 : 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l.startsWith("[")) break; // next table: the key is missing here
    if (new RegExp(`^["']?${leaf.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']?\\s*=`).test(l)) return i + 1;
  }
  return table ? start + 1 : undefined;
}
