// Names of a story's branch and worktree folder. Slugs are lowercase a-z, 0-9 and single dashes,
// so they are safe in git refs and file paths (no "..", no slashes, no leading dash).
import { badRequest } from "../errors.ts";

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
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

export function storyBranch(number: number, slug: string): string {
  assertNumber(number);
  return `drover/${number}-${assertSlug(slug)}`;
}

export function worktreeDirName(number: number, slug: string): string {
  assertNumber(number);
  return `${number}-${assertSlug(slug)}`;
}
