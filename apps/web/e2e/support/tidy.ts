// Archives the fixture project's stories after a test, so the specs that follow (which use a
// fixed viewport and drag by coordinates) meet a short board, as when they run alone.
import type { Db } from "@drover/db";
import { seeded } from "./fixtures.ts";

export async function archiveFixtureStories(db: Db): Promise<void> {
  await db.story.updateMany({ where: { projectId: seeded().projectId, stage: { not: "archived" } }, data: { stage: "archived" } });
}
