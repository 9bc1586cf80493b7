// Who may do what: three roles, each including the ones below it. The API checks a procedure's
// required role in one place (packages/api trpc.ts); the UI uses the same rule to hide what a role cannot do.

export const ROLES = ["viewer", "member", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** What each role is for, in the words the admin page and the docs use. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "sees everything (board, logs, diffs, costs) and changes nothing",
  member: "creates and edits stories; starts, stops, moves, resumes, approves and rejects",
  admin: "everything a member does, plus users, tokens, projects, rosters, secrets and runners",
};

/** True when `have` is the role `need` or above it. */
export function hasRole(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
