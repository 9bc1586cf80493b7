// The outbox: an activity entry that announces something (core's announcementsFor) becomes a
// notification and one delivery row per matching webhook or chat subscription, in the transaction
// that records the entry, so a change and its announcement commit (or roll back) together.
// Browser subscriptions get no delivery rows: open tabs hear of it through NOTIFY on commit.
import { announcementsFor, mayAnnounce } from "@drover/core/notifications/events";
import type { StoredNotification } from "@drover/core/notifications/body";
import type { ProjectEvent } from "../generated/prisma/client.ts";
import { CHANNELS, notify } from "../notify.ts";
import type { Tx } from "../services/tx.ts";

const storyPath = (projectId: number, number: number) => `/projects/${projectId}/stories/${number}`;

export async function enqueueAnnouncements(tx: Tx, row: ProjectEvent): Promise<void> {
  if (!mayAnnounce(row.kind)) return;
  const story = row.storyId ? await tx.story.findUnique({ where: { id: row.storyId } }) : null;
  const found = announcementsFor({ kind: row.kind, message: row.message, payload: row.payload, agentName: row.agentName, story });
  if (!found.length) return;
  const subs = await tx.notificationSubscription.findMany({
    where: {
      events: { hasSome: found.map((a) => a.event) },
      OR: [{ projectIds: { isEmpty: true } }, { projectIds: { has: row.projectId } }],
    },
    select: { id: true, channel: true, events: true },
  });
  if (!subs.length) return;
  const project = await tx.project.findUniqueOrThrow({ where: { id: row.projectId }, select: { id: true, name: true } });
  for (const a of found) {
    const to = subs.filter((s) => s.events.includes(a.event));
    if (!to.length) continue;
    const payload: StoredNotification = {
      event: a.event,
      occurred_at: row.at.toISOString(),
      project,
      story: story ? { number: story.number, title: story.title, path: storyPath(row.projectId, story.number) } : null,
      agent: row.agentName,
      reason: a.reason,
      details: a.details,
    };
    const n = await tx.notification.create({ data: { projectId: row.projectId, projectEventId: row.id, event: a.event, payload: payload as never } });
    const sent = to.filter((s) => s.channel !== "browser");
    if (sent.length) await tx.notificationDelivery.createMany({ data: sent.map((s) => ({ notificationId: n.id, subscriptionId: s.id })) });
    await notify(tx, CHANNELS.notifications, { notificationId: n.id.toString(), projectId: row.projectId, event: a.event });
  }
}
