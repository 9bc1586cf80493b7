// The checks that stand between a merge and `done`. A story never reaches done without its code:
// every condition is verified against git after the fact, not assumed from exit codes.
export interface MergeFacts {
  baseBranch: string;
  baseBefore: string;
  baseAfter: string;
  /** baseBefore is an ancestor of baseAfter (the base moved forward, nothing was lost). */
  baseMovedForward: boolean;
  /** Files changed between baseBefore and baseAfter. */
  changedFiles: string[];
  /** Lines added by the merge that look like conflict markers ("file:line"). */
  conflictMarkers: string[];
  /** Branch the main checkout is on after the merge (null when detached). */
  mainCheckoutBranch: string | null;
}

export type MergeVerdict = { ok: true } | { ok: false; reason: string };

export function verifyMerge(f: MergeFacts): MergeVerdict {
  if (f.baseAfter === f.baseBefore) return { ok: false, reason: `base branch ${f.baseBranch} did not move (still ${short(f.baseBefore)})` };
  if (!f.baseMovedForward)
    return { ok: false, reason: `base branch ${f.baseBranch} moved to ${short(f.baseAfter)}, which does not contain ${short(f.baseBefore)}` };
  if (f.changedFiles.length === 0) return { ok: false, reason: `the merge into ${f.baseBranch} carries no change (empty diff against ${short(f.baseBefore)})` };
  if (f.conflictMarkers.length) return { ok: false, reason: `conflict markers in the merged code: ${f.conflictMarkers.slice(0, 5).join(", ")}` };
  if (f.mainCheckoutBranch !== f.baseBranch) {
    return { ok: false, reason: `main checkout is on ${f.mainCheckoutBranch ?? "a detached HEAD"}, not ${f.baseBranch}` };
  }
  return { ok: true };
}

/** Conflict-marker lines among the added lines of a unified diff. */
export function findConflictMarkers(diff: string): string[] {
  const hits: string[] = [];
  let file = "";
  let line = 0;
  for (const l of diff.split("\n")) {
    if (l.startsWith("+++ ")) {
      file = l.replace(/^\+\+\+ (b\/)?/, "");
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(l);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (l.startsWith("+")) {
      if (/^\+(<{7}|={7}|>{7}|\|{7})(\s|$)/.test(l)) hits.push(`${file}:${line}`);
      line++;
    } else if (!l.startsWith("-")) line++;
  }
  return hits;
}

const short = (sha: string) => sha.slice(0, 10);
