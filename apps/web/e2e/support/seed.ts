// Seeds the e2e database through the domain services: the fixture project (command agents),
// and the runner's demo project.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "@drover/db";
import { addProject } from "@drover/db/services/index";
import { createFixtureRepo } from "./repo.ts";
import { repoAccess } from "@drover/repo";
import { testActor } from "@drover/db/testing/actors";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

export interface Seeded {
  projectId: number;
  demoProjectId: number;
}

export async function seedFixtures(db: Db, tmp: string): Promise<Seeded> {
  // The demo seed only runs on an empty database, as on a first start: seed it first.
  const demoSeed = path.join(repoRoot, "apps/runner/src/demo/seed.ts");
  const { seedDemoProject } = (await import(demoSeed)) as { seedDemoProject: (db: Db, dataDir: string) => Promise<{ id: number } | null> };
  const demo = await seedDemoProject(db, path.join(tmp, "demo-data"));
  if (!demo) throw new Error("the demo seed created no project: the e2e database was not empty");
  const repo = createFixtureRepo(path.join(tmp, "fixture-repo"));
  const { project } = await addProject(db, { repoPath: repo, name: "e2e" }, repoAccess, testActor);
  return { projectId: project.id, demoProjectId: demo.id };
}
