// Names of a story's branch and worktree folder. Slugs are lowercase a-z, 0-9 and single dashes,
// so they are safe in git refs and file paths (no "..", no slashes, no leading dash).
import path from "node:path";
import { badRequest } from "../errors.ts";

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_SLUG = 60;

export function isValidSlug(slug: string): boolean {
  return slug.length <= MAX_SLUG && SLUG_PATTERN.test(slug);
}

export function assertSlug(slug: string): string {
  if (!isValidSlug(slug)) {
    throw badRequest(`Invalid slug "${slug}": use lowercase letters, digits and single dashes (at most ${MAX_SLUG} characters), e.g. "add-login-page"`);
  }
  return slug;
}

/** A slug from any title or storkit file-name part ("Add_Login page!" -> "add-login-page"). */
export function slugify(text: string): string {
  const s = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG)
    .replace(/-+$/g, "");
  return s || "untitled";
}

function assertNumber(n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw badRequest(`Invalid story number ${n}: must be a positive whole number`);
}

/** The branch a story's worktree folder `dir` is on: `drover/<dir>`. */
export function branchForDir(dir: string): string {
  return `drover/${dir}`;
}

export function storyBranch(number: number, slug: string): string {
  return branchForDir(worktreeDirName(number, slug));
}

export function worktreeDirName(number: number, slug: string): string {
  assertNumber(number);
  return `${number}-${assertSlug(slug)}`;
}

/**
 * `<number>-<slug>` for a stored story whose slug was never validated: reduced to [a-z0-9-] (story
 * text never reaches a path raw), never refused. The runner uses it when a session has no path yet.
 */
export function storyDirName(number: number, slug: string): string {
  const clean = slug
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG)
    .replace(/-+$/, "");
  return clean ? `${number}-${clean}` : String(number);
}

const DEFAULT_WORKTREE_ROOT = ".drover/worktrees";

/** The folder holding a project's worktrees (`worktree_root`, relative to the repository). */
export function worktreeRoot(repoPath: string, configured?: string): string {
  return path.resolve(repoPath, configured || DEFAULT_WORKTREE_ROOT);
}

/** The branch Drover merges a story on. */
export const mergeBranchName = (storyNumber: number) => `merge-queue/${storyNumber}`;

/** The merge worktree of a story, inside the worktree root. */
export const mergeWorktreePath = (root: string, storyNumber: number) => path.join(root, `merge-queue-${storyNumber}`);
