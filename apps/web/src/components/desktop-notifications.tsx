"use client";
// Shows a desktop notification for each announcement the signed-in person subscribed to, while
// this tab is open and the browser allows it. Subscribes only then: no stream for everyone else.
import { useQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useRouter } from "next/navigation";
import { useNotificationPermission } from "@/lib/notification-permission";
import { useTRPC } from "@/lib/trpc";

export function DesktopNotifications() {
  const trpc = useTRPC();
  const router = useRouter();
  // Follows the permission live: allowing it on the settings page starts this tab's stream at once.
  const granted = useNotificationPermission() === "granted";
  const mine = useQuery({ ...trpc.notifications.mine.queryOptions(), enabled: granted });
  useSubscription(
    trpc.live.notifications.subscriptionOptions(undefined, {
      enabled: granted && (mine.data?.length ?? 0) > 0,
      onData: (d) => {
        if ("ready" in d) return;
        const n = new Notification(d.title, { body: d.body, tag: `drover-${d.id}` });
        n.onclick = () => {
          window.focus();
          router.push(d.path);
        };
      },
    }),
  );
  return null;
}
