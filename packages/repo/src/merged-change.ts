// The change one merge brought to the base branch, read once when it lands so it can be stored:
// stats for every file (from --numstat), patches only up to a size bound, marked where cut.
import { spawn } from "node:child_process";
import type { ChangedFile, MergedChange } from "@drover/core/stories/story-change";
import { splitUnifiedDiff } from "./branch-diff.ts";
import { buildGitEnv, repoGit } from "./git.ts";

/** How much patch text one stored change keeps. */
const CHANGE_LIMITS = { totalPatchChars: 1_000_000, filePatchChars: 100_000 };

const STATUS: Record<string, ChangedFile["status"]> = { A: "added", D: "deleted", R: "renamed", C: "added" };

/** `git diff --name-status -z` and `--numstat -z` of the same diff, joined (both list files in the same order). */
function parseStats(nameStatus: string, numstat: string): Omit<ChangedFile, "patch" | "truncated">[] {
  const names: { path: string; status: ChangedFile["status"] }[] = [];
  const ns = nameStatus.split("\0");
  for (let i = 0; i < ns.length - 1; ) {
    const code = ns[i]!;
    const renamed = code.startsWith("R") || code.startsWith("C");
    const path = renamed ? ns[i + 2]! : ns[i + 1]!;
    names.push({ path, status: STATUS[code[0]!] ?? "modified" });
    i += renamed ? 3 : 2;
  }
  const counts: { additions: number; deletions: number; binary: boolean }[] = [];
  const nu = numstat.split("\0");
  for (let i = 0; i < nu.length - 1; ) {
    const [add, del, path] = nu[i]!.split("\t");
    const binary = add === "-";
    counts.push({ additions: binary ? 0 : Number(add), deletions: binary ? 0 : Number(del), binary });
    // A rename's "adds\tdels\t" is followed by the old and the new path as separate fields.
    i += path === "" ? 3 : 1;
  }
  return names.map((n, i) => ({ ...n, ...(counts[i] ?? { additions: 0, deletions: 0, binary: false }) }));
}

/** Up to `limit` characters of `git <args>` in `cwd`; the process is stopped once that much has arrived. */
function gitHead(cwd: string, args: string[], limit: number): Promise<{ text: string; cut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, env: buildGitEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    let cut = false;
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (cut) return;
      text += chunk;
      if (text.length > limit) {
        text = text.slice(0, limit);
        cut = true;
        child.kill();
      }
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 || cut ? resolve({ text, cut }) : reject(new Error(`git ${args[0]} failed: ${stderr.trim()}`))));
  });
}

/** The change from `baseCommit` to `commit` (the merge that landed), bounded by `limits`. */
export async function readMergedChange(repoPath: string, baseCommit: string, commit: string, limits = CHANGE_LIMITS): Promise<MergedChange> {
  if (baseCommit.startsWith("-") || commit.startsWith("-")) throw new Error("Refusing a ref that starts with -.");
  const g = repoGit(repoPath);
  const range = [baseCommit, commit, "--"];
  const stats = parseStats(await g.raw(["diff", "-z", "-M", "--name-status", ...range]), await g.raw(["diff", "-z", "-M", "--numstat", ...range]));
  const head = await gitHead(repoPath, ["-c", "core.quotePath=false", "diff", "--no-color", "-M", ...range], limits.totalPatchChars);
  const chunks = splitUnifiedDiff(head.text);
  const files = stats.map((s, i): ChangedFile => {
    const chunk = chunks[i];
    // The last chunk read may be cut by the total bound; files after it have no patch at all.
    const cutByTotal = !chunk || (head.cut && i === chunks.length - 1);
    const patch = chunk?.patch ?? "";
    const tooLong = patch.length > limits.filePatchChars;
    return { ...s, patch: tooLong ? patch.slice(0, limits.filePatchChars) : patch, truncated: (cutByTotal && !s.binary) || tooLong };
  });
  return {
    files,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    truncated: files.some((f) => f.truncated),
  };
}

/** A branch's change since it left `base` (from their merge base to `head`), bounded like a merged change. */
export async function readBranchChange(repoPath: string, base: string, head: string, limits = CHANGE_LIMITS): Promise<MergedChange & { baseCommit: string }> {
  if (base.startsWith("-") || head.startsWith("-")) throw new Error("Refusing a ref that starts with -.");
  const baseCommit = (await repoGit(repoPath).raw(["merge-base", base, head])).trim();
  return { baseCommit, ...(await readMergedChange(repoPath, baseCommit, head, limits)) };
}
