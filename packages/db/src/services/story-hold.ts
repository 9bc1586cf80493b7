// A story a person stopped is held for them: auto-assign skips it (core's notAssignableBecause)
// until someone resumes, restarts or releases it. Every writer holds the story's row lock.
import { type Actor, actorLabel } from "@drover/core/audit/actor";
import type { Db } from "../client.ts";
import type { Story } from "../generated/prisma/client.ts";
import { logProjectEvent } from "./events.ts";
import { inTx, lockStory, type Tx } from "./tx.ts";

/** Holds a locked story for the one who stopped its agent. */
export async function holdLocked(tx: Tx, story: Story, actor: Actor): Promise<Story> {
  const by = actorLabel(actor);
  const held = await tx.story.update({ where: { id: story.id }, data: { heldBy: by, heldAt: new Date() } });
  await logProjectEvent(tx, {
    projectId: story.projectId,
    storyId: story.id,
    kind: "story_held",
    message: `Story ${story.number} held by ${by}: auto-assign leaves it alone until someone resumes, restarts or releases it`,
    actor,
  });
  return held;
}

/** Clears a locked story's hold, saying why (resumed, restarted, released); a no-op when not held. */
export async function releaseLocked(tx: Tx, story: Story, actor: Actor, how: "resumed" | "restarted" | "released"): Promise<Story> {
  if (!story.heldBy) return story;
  const by = actorLabel(actor);
  const released = await tx.story.update({ where: { id: story.id }, data: { heldBy: null, heldAt: null } });
  await logProjectEvent(tx, {
    projectId: story.projectId,
    storyId: story.id,
    kind: "story_released",
    message: `Story ${story.number} ${how} by ${by} (was held by ${story.heldBy})`,
    actor,
  });
  return released;
}

/** Releases a held story so auto-assign may pick it up again. */
export function releaseStory(db: Db, input: { projectId: number; storyNumber: number }, actor: Actor): Promise<Story> {
  return inTx(db, async (tx) => releaseLocked(tx, await lockStory(tx, input.projectId, input.storyNumber), actor, "released"));
}
