"use client";
// Checkboxes for the events a subscription announces.
import { NOTIFICATION_EVENT_LABELS, NOTIFICATION_EVENTS, type NotificationEvent } from "@drover/core/notifications/events";

export function EventChoice({ value, onChange }: { value: NotificationEvent[]; onChange: (v: NotificationEvent[]) => void }) {
  return (
    <fieldset className="flex flex-wrap gap-x-4 gap-y-1">
      <legend className="mb-1 text-slate-600">Events</legend>
      {NOTIFICATION_EVENTS.map((e) => (
        <label key={e} className="flex items-center gap-1">
          <input type="checkbox" checked={value.includes(e)} onChange={(x) => onChange(x.target.checked ? [...value, e] : value.filter((v) => v !== e))} />
          {NOTIFICATION_EVENT_LABELS[e]}
        </label>
      ))}
    </fieldset>
  );
}
