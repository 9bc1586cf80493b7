"use client";
// One home for this browser's notification permission: the settings page asks, and every open
// component (the tab's notifier too) sees the answer at once, without a reload.
import { useSyncExternalStore } from "react";

export type Permission = NotificationPermission | "unsupported";

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};

function current(): Permission {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  // A change made in the browser's site settings (or another tab) arrives here too.
  let status: PermissionStatus | undefined;
  void navigator.permissions
    ?.query({ name: "notifications" })
    .then((s) => {
      status = s;
      s.addEventListener("change", notify);
    })
    .catch(() => {});
  return () => {
    listeners.delete(listener);
    status?.removeEventListener("change", notify);
  };
}

/** null until hydrated: the server cannot know this browser's answer. */
export function useNotificationPermission(): Permission | null {
  return useSyncExternalStore(subscribe, current, () => null);
}

export async function requestNotificationPermission(): Promise<void> {
  await Notification.requestPermission();
  notify();
}
