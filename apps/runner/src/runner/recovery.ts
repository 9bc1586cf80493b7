// Recovery: the sweeper (any runner) interrupts sessions whose lease expired and queues their
// resume; the reaper (a starting runner) kills process groups a dead runner on this host left.
import os from "node:os";
import type { Db } from "@drover/db";
import type { Logger } from "pino";
import { killGroup, groupAlive, processStartMs } from "./process-group.ts";
import { CHANNELS, notify } from "@drover/db/notify";
import { logProjectEvent } from "@drover/db/services/events";
import { expireLeases, interruptExpired, scheduleResume, sessionInProjects, stopUnclaimedStopRequests } from "@drover/db/sessions/index";
import { AUTOMATION } from "../automation/actors.ts";
/** Queues a pending resume of an interrupted session (the state machine's resume transition). */

/**
 * Interrupts every running session whose lease has expired (its runner is gone or cut off), in
 * `opts.projects` (a scoped runner's; empty or absent: every project).
 */
export async function sweepExpiredLeases(db: Db, log: Logger, opts: { recover: boolean; projects?: readonly number[] }): Promise<number> {
  // One transaction: the status, its project event and the queued resume appear together.
  const ended = await db.$transaction(async (tx) => {
    const rows = await interruptExpired(tx, opts.projects);
    for (const s of rows) {
      await logProjectEvent(tx, {
        projectId: s.project_id,
        storyId: s.story_id,
        sessionId: s.id,
        agentName: s.agent_name,
        kind: "session_interrupted",
        message: `${s.agent_name}: session ${s.id} interrupted, its runner was lost`,
        payload: { reason: "runner_lost" },
        actor: AUTOMATION.recovery,
      });
      if (opts.recover && (await scheduleResume(tx, s.id, "runner lost"))) {
        await logProjectEvent(tx, {
          projectId: s.project_id,
          storyId: s.story_id,
          sessionId: s.id,
          agentName: s.agent_name,
          kind: "session_resume_queued",
          message: `${s.agent_name}: resume of session ${s.id} queued after the runner was lost`,
          actor: AUTOMATION.recovery,
        });
      }
    }
    return rows;
  });
  for (const s of ended) {
    log.warn({ sessionId: s.id }, "lease expired: session interrupted (runner_lost)"); // its project event notified the board on commit
    await notify(db, CHANNELS.sessions, { projectId: s.project_id }).catch(() => {}); // a resume may be pending
  }
  // A stop requested before a runner claimed the session: nothing to kill, just end it.
  const stopped = await stopUnclaimedStopRequests(db, opts.projects);
  for (const s of stopped) {
    await logProjectEvent(db, {
      projectId: s.project_id,
      storyId: s.story_id,
      sessionId: s.id,
      agentName: s.agent_name,
      kind: "session_stopped",
      message: `${s.agent_name}: session ${s.id} stopped before it started`,
      payload: { reason: "user_stop" },
      actor: AUTOMATION.recovery,
    }); // notifies the board
  }
  return ended.length;
}

/**
 * Before claiming: kill any process group recorded by a runner on this host that is no longer
 * alive (or by this runner's id in an earlier life), but only while the recorded pid is the same
 * process (same start time) or its group still exists without a leader (a pgid is never reused
 * while its group lives). Then sessions this id left running are interrupted. A scoped runner
 * (`opts.projects`) reaps other runners' leftovers only in its projects.
 */
export async function reapLeftovers(
  db: Db,
  log: Logger,
  runnerId: string,
  leaseSecs: number,
  opts: { recover: boolean; projects?: readonly number[] },
): Promise<number> {
  const projects = opts.projects ?? [];
  const rows = await db.$queryRaw<{ id: number; pid: number; pgid: number; started: Date | null }[]>`
    SELECT s.id, s.pid, s.pgid, s.process_started_at AS started
    FROM agent_sessions s JOIN runners r ON r.id = s.runner_id
    WHERE s.pgid IS NOT NULL AND s.status IN ('running', 'interrupted') AND r.host = ${os.hostname()}
      AND (r.id = ${runnerId} OR r.stopped_at IS NOT NULL OR r.heartbeat_at < now() - make_interval(secs => ${leaseSecs}::double precision))
      AND (r.id = ${runnerId} OR ${sessionInProjects(projects)})`;
  let reaped = 0;
  for (const r of rows) {
    if (!groupAlive(r.pgid)) continue;
    const start = processStartMs(r.pid);
    // processStartedAt is when the runner saw the spawn (load can delay that by seconds); /proc's
    // start time is exact up to the boot-time clock offset. Generous, yet a reused pid that also
    // leads a live group within this window is not a realistic event.
    const same = start === undefined || (r.started !== null && Math.abs(start - r.started.getTime()) < 30_000);
    if (!same) {
      log.info({ sessionId: r.id, pid: r.pid, recorded: r.started, actual: start && new Date(start) }, "recorded pid is another process now; left alone");
      continue;
    }
    killGroup(r.pgid, "SIGKILL");
    reaped++;
    log.warn({ sessionId: r.id, pgid: r.pgid }, "reaped a process group left by a dead runner");
  }
  const mine = await db.$queryRaw<{ id: number }[]>`
    SELECT id FROM agent_sessions WHERE runner_id = ${runnerId} AND status = 'running'`;
  if (mine.length) {
    await expireLeases(db, runnerId);
    await sweepExpiredLeases(db, log, opts);
  }
  return reaped;
}
