// A runner scoped to some projects (`drover runner --projects`) acts on their sessions only; an
// empty list means every project. The one SQL form of that filter, for a query whose sessions are `s`.
import { Prisma } from "../generated/prisma/client.ts";

/** `s.project_id` is one of `projects`, or `projects` is empty. */
export function sessionInProjects(projects: readonly number[]): Prisma.Sql {
  return Prisma.sql`(cardinality(${projects}::int[]) = 0 OR s.project_id = ANY(${projects}::int[]))`;
}
