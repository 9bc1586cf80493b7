"use client";
// Notifications: each person's desktop notifications, and (admins) webhooks and chat rooms.
import { Suspense } from "react";
import { Nav, useProjectId } from "@/components/nav";
import { useMe } from "@/lib/me";
import { BrowserNotifications } from "./browser-notifications";
import { Receivers } from "./receivers";

function Notifications() {
  const projectId = useProjectId();
  const isAdmin = useMe().can("admin");
  return (
    <>
      <Nav projectId={projectId} />
      <main className="mx-auto max-w-5xl space-y-4 p-4">
        <h1 className="text-xl font-semibold">Notifications</h1>
        <BrowserNotifications />
        {isAdmin && <Receivers />}
      </main>
    </>
  );
}

export default function Page() {
  return (
    <Suspense>
      <Notifications />
    </Suspense>
  );
}
