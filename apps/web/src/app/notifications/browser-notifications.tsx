"use client";
// This person's desktop notifications: permission is asked here, on a click, never on load; then
// the chosen events show in every open Drover tab (see components/desktop-notifications.tsx).
import type { NotificationEvent } from "@drover/core/notifications/events";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "@/lib/error-message";
import { requestNotificationPermission, useNotificationPermission } from "@/lib/notification-permission";
import { useTRPC } from "@/lib/trpc";
import { EventChoice } from "./event-choice";

export function BrowserNotifications() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const mine = useQuery(trpc.notifications.mine.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.notifications.mine.queryKey() });
  const permission = useNotificationPermission();
  const [events, setEvents] = useState<NotificationEvent[]>(["story.review_needed", "story.blocked", "merge.failed"]);
  const add = useMutation(trpc.notifications.subscribeBrowser.mutationOptions({ onSuccess: () => void refresh() }));
  const remove = useMutation(trpc.notifications.unsubscribeBrowser.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <section className="rounded border bg-white" data-testid="browser-notifications">
      <h2 className="border-b p-2 font-semibold">Desktop notifications in this browser</h2>
      <div className="space-y-3 p-3 text-sm">
        {permission === "unsupported" && <p>This browser cannot show desktop notifications.</p>}
        {permission === "denied" && <p>Notifications are blocked for this site; allow them in the browser&apos;s site settings.</p>}
        {permission === "default" && (
          <button type="button" className="rounded border px-3 py-1" onClick={() => void requestNotificationPermission()}>
            Allow desktop notifications
          </button>
        )}
        {permission === "granted" && <p className="text-slate-600">Allowed. Your open Drover tabs show the events you choose.</p>}
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate({ events });
          }}
        >
          <EventChoice value={events} onChange={setEvents} />
          <button type="submit" className="rounded border px-3 py-1" disabled={add.isPending}>
            Notify me of these
          </button>
        </form>
        {(add.error ?? remove.error) && (
          <p role="alert" className="text-red-700">
            {errorMessage(add.error ?? remove.error)}
          </p>
        )}
        <ul className="divide-y rounded border">
          {mine.data?.map((s) => (
            <li key={s.id} className="flex items-center justify-between p-2" data-testid="browser-subscription">
              <span>{s.events.join(", ")}</span>
              <button type="button" className="rounded border px-2 py-0.5" onClick={() => remove.mutate({ id: s.id })}>
                Stop
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
