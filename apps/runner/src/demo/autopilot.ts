// The demo's autopilot: while the demo project sits idle (nothing in current, no agent running,
// no activity for an interval), it promotes the next backlog story to current, writing a new one
// when the backlog is empty, so a newcomer sees the pipeline keep moving for the first minutes.
// Every promotion is labelled in the activity feed ("demo autopilot"); it stops after a few.
import type { Db } from "@drover/db";
import { createStory, inTx, lockStory, logProjectEvent, moveLocked } from "@drover/db/services/index";
import type { Logger } from "pino";
import { DEMO_IDEAS } from "./stories.ts";
import { AUTOMATION } from "../automation/actors.ts";

export const DEMO_AUTOPILOT = "demo autopilot";
export const DEMO_PROMOTED = "demo_promoted";
/** Promotions before the autopilot rests: a few minutes of motion, never an endless spend of CPU. */
const DEMO_MAX_PROMOTIONS = 10;
export const DEFAULT_DEMO_PROMOTE_SECS = 45;

export interface AutopilotOptions {
  /** Idle time before a promotion. */
  intervalMs: number;
  maxPromotions?: number;
  now?: Date;
}

/** One autopilot step for every demo project; returns the story numbers promoted. */
export async function runDemoAutopilot(db: Db, opts: AutopilotOptions, log?: Logger): Promise<number[]> {
  const promoted: number[] = [];
  for (const p of await db.project.findMany({ where: { isDemo: true, archivedAt: null }, select: { id: true } })) {
    const n = await promoteIfIdle(db, p.id, opts);
    if (n !== null) {
      promoted.push(n);
      log?.info({ projectId: p.id, story: n }, "demo autopilot promoted a story");
    }
  }
  return promoted;
}

async function promoteIfIdle(db: Db, projectId: number, opts: AutopilotOptions): Promise<number | null> {
  const now = opts.now ?? new Date();
  const max = opts.maxPromotions ?? DEMO_MAX_PROMOTIONS;
  const done = await db.projectEvent.count({ where: { projectId, kind: DEMO_PROMOTED } });
  if (done >= max || !(await idle(db, projectId, now, opts.intervalMs))) return null;
  // An empty backlog gets a new story first (its own transaction; the promotion re-checks below).
  if (!(await db.story.count({ where: { projectId, stage: "backlog", blocked: false, heldBy: null } }))) {
    const written = await db.story.count({ where: { projectId, title: { in: DEMO_IDEAS.map((i) => i.title) } } });
    const idea = DEMO_IDEAS[written % DEMO_IDEAS.length]!;
    await createStory(db, { projectId, kind: idea.kind, title: idea.title, body: idea.body, stage: "backlog" }, AUTOMATION.demoAutopilot);
  }
  return inTx(db, async (tx) => {
    // Runners serialize on the project row; the checks run again under it.
    await tx.$queryRaw`SELECT id FROM projects WHERE id = ${projectId} FOR UPDATE`;
    if ((await tx.projectEvent.count({ where: { projectId, kind: DEMO_PROMOTED } })) >= max) return null;
    if (await tx.story.count({ where: { projectId, stage: "current" } })) return null;
    const next = await tx.story.findFirst({
      where: { projectId, stage: "backlog", blocked: false, heldBy: null },
      orderBy: [{ position: "asc" }, { number: "asc" }],
    });
    if (!next) return null;
    const story = await lockStory(tx, projectId, next.number);
    await moveLocked(tx, story, "current", AUTOMATION.demoAutopilot);
    await logProjectEvent(tx, {
      projectId,
      storyId: story.id,
      agentName: DEMO_AUTOPILOT,
      kind: DEMO_PROMOTED,
      actor: AUTOMATION.demoAutopilot,
      message: `Demo autopilot: promoted #${story.number} "${story.title}" from backlog to current to keep the demo moving while nobody is using it (${done + 1} of ${max})`,
    });
    return story.number;
  });
}

/** Nothing in current, no agent running, and no activity in the project for `intervalMs`. */
async function idle(db: Db, projectId: number, now: Date, intervalMs: number): Promise<boolean> {
  if (await db.story.count({ where: { projectId, stage: "current" } })) return false;
  if (await db.agentSession.count({ where: { projectId, status: { in: ["pending", "running"] } } })) return false;
  const last = await db.projectEvent.findFirst({ where: { projectId }, orderBy: { id: "desc" }, select: { at: true } });
  return !last || now.getTime() - last.at.getTime() >= intervalMs;
}
