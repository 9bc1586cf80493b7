// Tool inputs that write or edit a file, shown as a diff (Claude Code, Gemini CLI and Codex shapes).
import { createTwoFilesPatch } from "diff";

type P = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v, null, 2));

export function fileChangePatch(input: unknown): { file: string; patch: string } | null {
  if (typeof input === "string" && /^(\*\*\* Begin Patch|diff --git|--- )/m.test(input)) return { file: "", patch: input };
  if (!input || typeof input !== "object") return null;
  const i = input as P;
  const file = str(i.file_path ?? i.path ?? i.absolute_path);
  if (typeof i.patch === "string") return { file, patch: i.patch };
  const edits: { old: string; new: string }[] = [];
  if (typeof i.old_string === "string" && typeof i.new_string === "string") edits.push({ old: i.old_string, new: i.new_string });
  if (Array.isArray(i.edits))
    for (const e of i.edits as P[])
      if (typeof e.old_string === "string" && typeof e.new_string === "string") edits.push({ old: e.old_string, new: e.new_string });
  if (edits.length) return { file, patch: edits.map((e) => stripHeader(createTwoFilesPatch(file, file, e.old, e.new, "", "", { context: 3 }))).join("\n") };
  if (typeof i.content === "string" && file) return { file, patch: stripHeader(createTwoFilesPatch(file, file, "", i.content, "", "", { context: 3 })) };
  return null;
}

function stripHeader(p: string): string {
  return p
    .split("\n")
    .filter((l) => !/^(=+|Index:|--- |\+\+\+ )/.test(l))
    .join("\n")
    .trim();
}
