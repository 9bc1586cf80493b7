// Optional per-project membership: a project with members is seen only by them and by admins; a
// project without any stays open to every signed-in user (so membership is opt-in per project).
import type { Db } from "@drover/db";
import { DomainError } from "@drover/core/errors";
import { hasRole, type Role } from "@drover/core/access/roles";

interface Who {
  id: string;
  role: Role;
}

/** The projects `who` may see, as a Prisma filter; undefined for admins (all of them). */
function visibleProjects(who: Who) {
  if (hasRole(who.role, "admin")) return undefined;
  return { OR: [{ members: { none: {} } }, { members: { some: { userId: who.id } } }] };
}

/** Why `who` may not see the project, or null when they may (admins, open projects, members). */
export async function projectRefusal(db: Db, who: Who, projectId: number): Promise<string | null> {
  if (!visibleProjects(who)) return null;
  const project = await db.project.findUnique({
    where: { id: projectId },
    select: { name: true, members: { where: { userId: who.id }, select: { userId: true } }, _count: { select: { members: true } } },
  });
  // An unknown project is left to the service's own "not found".
  if (!project || project._count.members === 0 || project.members.length > 0) return null;
  return `You are not a member of project "${project.name}": ask an admin to add you.`;
}

export async function listProjectMembers(db: Db, projectId: number) {
  const rows = await db.projectMember.findMany({
    where: { projectId },
    include: { user: { select: { id: true, name: true, email: true, role: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => r.user);
}

export async function addProjectMember(db: Db, projectId: number, email: string): Promise<void> {
  const user = await db.user.findUnique({ where: { email: email.toLowerCase() } });
  if (!user) throw new DomainError("NOT_FOUND", `No user with the email ${email}: invite them first.`);
  if (!(await db.project.findUnique({ where: { id: projectId } }))) throw new DomainError("NOT_FOUND", `No project ${projectId}.`);
  await db.projectMember.upsert({ where: { projectId_userId: { projectId, userId: user.id } }, create: { projectId, userId: user.id }, update: {} });
}

export async function removeProjectMember(db: Db, projectId: number, userId: string): Promise<void> {
  const { count } = await db.projectMember.deleteMany({ where: { projectId, userId } });
  if (count === 0) throw new DomainError("NOT_FOUND", "That user is not a member of this project.");
}

/** Keeps the projects `who` may see (admins: all), for lists of projects. */
export async function onlyVisible<T extends { id: number }>(db: Db, who: Who, projects: T[]): Promise<T[]> {
  const where = visibleProjects(who);
  if (!where) return projects;
  const visible = new Set((await db.project.findMany({ where, select: { id: true } })).map((p) => p.id));
  return projects.filter((p) => visible.has(p.id));
}
