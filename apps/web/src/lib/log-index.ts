// Maps a virtual-list row to a session event seq, for both index shapes the server returns:
// a contiguous range (unfiltered log) or an explicit list of seqs (filtered).
export type LogIndex =
  | { mode: "range"; min: number; max: number; errorSeqs: number[]; lastSeq: number | null }
  | { mode: "list"; seqs: number[]; errorSeqs: number[]; lastSeq: number | null };

export function rowCount(ix: LogIndex | undefined): number {
  if (!ix) return 0;
  return ix.mode === "range" ? ix.max - ix.min + 1 : ix.seqs.length;
}

export function seqAt(ix: LogIndex, row: number): number {
  return ix.mode === "range" ? ix.min + row : ix.seqs[row]!;
}

/** The row showing seq, or the first row after it when seq is filtered out; -1 when none. */
export function rowOf(ix: LogIndex, seq: number): number {
  if (ix.mode === "range") return seq < ix.min ? 0 : seq > ix.max ? -1 : seq - ix.min;
  let lo = 0,
    hi = ix.seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ix.seqs[mid]! < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo < ix.seqs.length ? lo : -1;
}

/** The first error strictly after seq (wrapping to the first error), or undefined. */
export function nextError(ix: LogIndex, afterSeq: number): number | undefined {
  return ix.errorSeqs.find((s) => s > afterSeq) ?? ix.errorSeqs[0];
}
