// The change a story merged, as it is stored and shown: every file with its stats, patches bounded.

export interface ChangedFile {
  path: string;
  status: "added" | "deleted" | "modified" | "renamed";
  additions: number;
  deletions: number;
  /** Unified diff hunks (from the first "@@"); may be cut short, see truncated. */
  patch: string;
  /** The patch was cut short or left out (too large to keep); the stats are still whole. */
  truncated: boolean;
  binary: boolean;
}

export interface MergedChange {
  files: ChangedFile[];
  additions: number;
  deletions: number;
  /** Some patch text was left out. */
  truncated: boolean;
}
