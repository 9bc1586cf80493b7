// `git diff` output split per file (the bounded change readers in merged-change.ts use it).

export interface FileDiff {
  path: string;
  status: "added" | "deleted" | "modified" | "renamed";
  additions: number;
  deletions: number;
  /** The unified diff hunks for this file (from the first "@@"). */
  patch: string;
}

/** Splits `git diff` output into one entry per file. */
export function splitUnifiedDiff(text: string): FileDiff[] {
  const files: FileDiff[] = [];
  for (const chunk of text.split(/^(?=diff --git )/m)) {
    if (!chunk.startsWith("diff --git ")) continue;
    const lines = chunk.split("\n");
    const header = /^diff --git a\/(.*) b\/(.*)$/.exec(lines[0]!);
    let path = header?.[2] ?? lines[0]!.slice(11);
    let status: FileDiff["status"] = "modified";
    const hunkAt = lines.findIndex((l) => l.startsWith("@@"));
    for (const l of lines.slice(1, hunkAt < 0 ? undefined : hunkAt)) {
      if (l.startsWith("new file")) status = "added";
      else if (l.startsWith("deleted file")) status = "deleted";
      else if (l.startsWith("rename to ")) {
        status = "renamed";
        path = l.slice(10);
      }
    }
    const hunks = hunkAt < 0 ? [] : lines.slice(hunkAt);
    files.push({
      path,
      status,
      additions: hunks.filter((l) => l.startsWith("+")).length,
      deletions: hunks.filter((l) => l.startsWith("-")).length,
      patch: hunks.join("\n").trimEnd(),
    });
  }
  return files;
}
